DROP INDEX "enterprises_industry_idx";--> statement-breakpoint
DROP INDEX "enterprises_section_idx";--> statement-breakpoint
DROP INDEX "enterprises_region_idx";--> statement-breakpoint
CREATE INDEX "enterprises_status_idx" ON "enterprises" USING btree ("status","uscc");--> statement-breakpoint
CREATE INDEX "enterprises_industry_idx" ON "enterprises" USING btree ("industry" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "enterprises_section_idx" ON "enterprises" USING btree ("industry_section","uscc");--> statement-breakpoint
CREATE INDEX "enterprises_region_idx" ON "enterprises" USING btree ("region","uscc");