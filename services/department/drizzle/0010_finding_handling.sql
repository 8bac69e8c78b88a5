ALTER TABLE "findings" ADD COLUMN "visit_id" uuid;--> statement-breakpoint
ALTER TABLE "findings" ADD COLUMN "code" text;--> statement-breakpoint
ALTER TABLE "findings" ADD COLUMN "status" text DEFAULT 'OPEN' NOT NULL;--> statement-breakpoint
ALTER TABLE "findings" ADD COLUMN "due_on" date;--> statement-breakpoint
ALTER TABLE "findings" ADD COLUMN "transfer_to" text;--> statement-breakpoint
ALTER TABLE "findings" ADD COLUMN "transfer_status" text;--> statement-breakpoint
ALTER TABLE "findings" ADD COLUMN "transfer_answered_on" date;--> statement-breakpoint
ALTER TABLE "findings" ADD COLUMN "transfer_reason" text;--> statement-breakpoint
ALTER TABLE "findings" ADD COLUMN "judicial_organ" text;--> statement-breakpoint
ALTER TABLE "findings" ADD COLUMN "judicial_feedback" text;--> statement-breakpoint
ALTER TABLE "findings" ADD COLUMN "judicial_feedback_on" date;--> statement-breakpoint
ALTER TABLE "findings" ADD COLUMN "rechecked_on" date;--> statement-breakpoint
ALTER TABLE "findings" ADD COLUMN "rectified" boolean;--> statement-breakpoint
ALTER TABLE "findings" ADD COLUMN "recheck_note" text;--> statement-breakpoint
ALTER TABLE "findings" ADD COLUMN "rechecked_by" text;--> statement-breakpoint
ALTER TABLE "findings" ADD COLUMN "closed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "findings" ADD COLUMN "updated_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "findings_status_due_idx" ON "findings" USING btree ("status","due_on");--> statement-breakpoint
CREATE INDEX "findings_uscc_idx" ON "findings" USING btree ("uscc");