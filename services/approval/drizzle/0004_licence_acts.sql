CREATE TABLE "calendar_years" (
	"year" integer PRIMARY KEY NOT NULL,
	"holidays" text[] NOT NULL,
	"workdays" text[] NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "licence_acts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"department" text NOT NULL,
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
	"claim_by" date NOT NULL,
	"status" text DEFAULT 'PENDING_CLAIM' NOT NULL,
	"claimed_at" timestamp with time zone,
	"claimed_by" text,
	"answered_at" timestamp with time zone,
	"answered_by" text,
	"answer_document_number" text,
	"answer_reason" text,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "supervision_results" (
	"task_id" uuid PRIMARY KEY NOT NULL,
	"department" text NOT NULL,
	"licence_id" uuid NOT NULL,
	"outcome" text NOT NULL,
	"summary" text NOT NULL,
	"findings" integer NOT NULL,
	"checked_on" date NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "known_enterprises" ADD COLUMN "registered_on" date;--> statement-breakpoint
ALTER TABLE "known_enterprises" ADD COLUMN "address" text;--> statement-breakpoint
ALTER TABLE "licences" ADD COLUMN "late_entry" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "licences" ADD COLUMN "business_name" text;--> statement-breakpoint
ALTER TABLE "licences" ADD COLUMN "contact" text;--> statement-breakpoint
ALTER TABLE "licences" ADD COLUMN "address" text;--> statement-breakpoint
ALTER TABLE "licences" ADD COLUMN "status_act" jsonb;--> statement-breakpoint
CREATE INDEX "licence_acts_status_idx" ON "licence_acts" USING btree ("status","claim_by","id");--> statement-breakpoint
CREATE INDEX "licence_acts_licence_idx" ON "licence_acts" USING btree ("licence_id");--> statement-breakpoint
CREATE INDEX "supervision_results_licence_idx" ON "supervision_results" USING btree ("licence_id");