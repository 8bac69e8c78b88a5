DROP INDEX "licences_department_idx";--> statement-breakpoint
CREATE INDEX "licences_status_idx" ON "licences" USING btree ("status","licence_number");--> statement-breakpoint
CREATE INDEX "licences_department_idx" ON "licences" USING btree ("supervising_department","licence_number");