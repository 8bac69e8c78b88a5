ALTER TABLE "findings" ADD COLUMN "last_step" text;--> statement-breakpoint
ALTER TABLE "findings" ADD COLUMN "last_step_on" date;