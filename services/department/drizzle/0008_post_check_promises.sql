ALTER TABLE "supervision_tasks" ADD COLUMN "supervision_item" text;--> statement-breakpoint
ALTER TABLE "supervision_tasks" ADD COLUMN "promise_id" uuid;--> statement-breakpoint
ALTER TABLE "supervision_tasks" ADD COLUMN "promise_mode" text;--> statement-breakpoint
ALTER TABLE "supervision_tasks" ADD COLUMN "promise_check_by" date;--> statement-breakpoint
ALTER TABLE "supervision_tasks" ADD COLUMN "promise_kept" boolean;