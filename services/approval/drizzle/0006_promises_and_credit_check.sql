CREATE TABLE "approval_items" (
	"name" text PRIMARY KEY NOT NULL,
	"supervising_department" text NOT NULL,
	"supervision_item" text,
	"promise_mode" text,
	"promise_days" integer,
	"promise_day_count" text DEFAULT 'WORKING_DAYS' NOT NULL,
	"review_days" integer NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "credit_views" (
	"uscc" text PRIMARY KEY NOT NULL,
	"risk_class" text NOT NULL,
	"rule" text NOT NULL,
	"findings" integer NOT NULL,
	"serious" integer NOT NULL,
	"penalties" integer NOT NULL,
	"general" integer NOT NULL,
	"classified_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "promises" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"uscc" text NOT NULL,
	"business_name" text NOT NULL,
	"contact" text,
	"approval_item" text NOT NULL,
	"supervising_department" text NOT NULL,
	"mode" text NOT NULL,
	"status" text NOT NULL,
	"licence_number" text NOT NULL,
	"licence_id" uuid,
	"terms" jsonb NOT NULL,
	"decided_on" date NOT NULL,
	"due_on" date NOT NULL,
	"reminder_on" date,
	"reminded_at" timestamp with time zone,
	"listed_at" timestamp with time zone,
	"review_by" date,
	"settled_at" timestamp with time zone,
	"breach" text,
	"outcome" jsonb,
	"credit_seen" jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "promises_licence_number_unique" UNIQUE("licence_number")
);
--> statement-breakpoint
ALTER TABLE "licences" ADD COLUMN "supervision_item" text;--> statement-breakpoint
ALTER TABLE "licences" ADD COLUMN "promise_id" uuid;--> statement-breakpoint
ALTER TABLE "licences" ADD COLUMN "credit_seen" jsonb;--> statement-breakpoint
CREATE INDEX "promises_status_idx" ON "promises" USING btree ("status","due_on","id");--> statement-breakpoint
CREATE INDEX "promises_uscc_idx" ON "promises" USING btree ("uscc");