DROP INDEX "supervision_tasks_status_idx";--> statement-breakpoint
CREATE INDEX "supervision_items_industries_idx" ON "supervision_items" USING gin ("industries");--> statement-breakpoint
CREATE INDEX "supervision_tasks_check_by_idx" ON "supervision_tasks" USING btree ("status","check_by");--> statement-breakpoint
CREATE INDEX "supervision_tasks_claim_by_idx" ON "supervision_tasks" USING btree ("claim_by","id");--> statement-breakpoint
CREATE INDEX "supervision_tasks_status_idx" ON "supervision_tasks" USING btree ("status","claim_by","id");