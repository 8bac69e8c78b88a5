CREATE TABLE "calendar_years" (
	"year" integer PRIMARY KEY NOT NULL,
	"holidays" text[] NOT NULL,
	"workdays" text[] NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "findings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"task_id" uuid NOT NULL,
	"uscc" text NOT NULL,
	"item_code" text,
	"description" text NOT NULL,
	"severity" text NOT NULL,
	"handling" text NOT NULL,
	"recorded_on" date NOT NULL,
	"recorded_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "supervision_tasks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"licence_id" uuid NOT NULL,
	"licence_number" text NOT NULL,
	"uscc" text NOT NULL,
	"approval_item" text NOT NULL,
	"status" text DEFAULT 'PENDING_CLAIM' NOT NULL,
	"pushed_on" date NOT NULL,
	"claim_by" date NOT NULL,
	"check_by" date NOT NULL,
	"claimed_on" date,
	"claimed_by" text,
	"checked_on" date,
	"checked_by" text,
	"outcome" text,
	"summary" text,
	"closed_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "supervision_tasks_licence_id_unique" UNIQUE("licence_id")
);
--> statement-breakpoint
ALTER TABLE "findings" ADD CONSTRAINT "findings_task_id_supervision_tasks_id_fk" FOREIGN KEY ("task_id") REFERENCES "supervision_tasks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "findings_task_idx" ON "findings" USING btree ("task_id");--> statement-breakpoint
CREATE INDEX "supervision_tasks_status_idx" ON "supervision_tasks" USING btree ("status","claim_by");--> statement-breakpoint
CREATE INDEX "supervision_tasks_uscc_idx" ON "supervision_tasks" USING btree ("uscc");