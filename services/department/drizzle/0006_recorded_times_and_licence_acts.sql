CREATE TABLE "licence_acts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"licence_id" uuid NOT NULL,
	"licence_number" text NOT NULL,
	"uscc" text NOT NULL,
	"kind" text NOT NULL,
	"document_number" text NOT NULL,
	"legal_basis" text NOT NULL,
	"reason" text NOT NULL,
	"decided_on" date NOT NULL,
	"push_by" date NOT NULL,
	"pushed_at" timestamp with time zone NOT NULL,
	"pushed_on" date NOT NULL,
	"late_entry" boolean NOT NULL,
	"pushed_by" text NOT NULL,
	"status" text DEFAULT 'PENDING_CLAIM' NOT NULL,
	"claimed_at" timestamp with time zone,
	"answered_at" timestamp with time zone,
	"answer_document_number" text,
	"answer_reason" text,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "supervision_tasks" ADD COLUMN "pushed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "supervision_tasks" ADD COLUMN "granted_on" date;--> statement-breakpoint
ALTER TABLE "supervision_tasks" ADD COLUMN "business_name" text;--> statement-breakpoint
ALTER TABLE "supervision_tasks" ADD COLUMN "contact" text;--> statement-breakpoint
ALTER TABLE "supervision_tasks" ADD COLUMN "address" text;--> statement-breakpoint
ALTER TABLE "supervision_tasks" ADD COLUMN "scope" text;--> statement-breakpoint
ALTER TABLE "supervision_tasks" ADD COLUMN "valid_from" date;--> statement-breakpoint
ALTER TABLE "supervision_tasks" ADD COLUMN "valid_until" date;--> statement-breakpoint
ALTER TABLE "supervision_tasks" ADD COLUMN "claimed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "supervision_tasks" ADD COLUMN "claim_late_days" integer;--> statement-breakpoint
ALTER TABLE "supervision_tasks" ADD COLUMN "check_recorded_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "supervision_tasks" ADD COLUMN "check_late_entry" boolean;--> statement-breakpoint
CREATE INDEX "licence_acts_licence_idx" ON "licence_acts" USING btree ("licence_id");--> statement-breakpoint
CREATE INDEX "licence_acts_pushed_idx" ON "licence_acts" USING btree ("pushed_at");