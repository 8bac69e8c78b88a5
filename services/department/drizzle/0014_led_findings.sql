CREATE TABLE "led_findings" (
	"finding_id" uuid PRIMARY KEY NOT NULL,
	"department" text NOT NULL,
	"uscc" text NOT NULL,
	"visit_id" uuid NOT NULL,
	"code" text,
	"item_code" text,
	"description" text NOT NULL,
	"severity" text NOT NULL,
	"handling" text NOT NULL,
	"recorded_on" date NOT NULL,
	"due_on" date,
	"transfer_to" text,
	"status" text DEFAULT 'OPEN' NOT NULL,
	"last_step" text,
	"last_step_on" date,
	"awaiting_visit" boolean DEFAULT false NOT NULL,
	"event_id" text NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "led_plans" (
	"plan_id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"year" integer NOT NULL,
	"status" text NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "plan_visits" (
	"visit_id" uuid PRIMARY KEY NOT NULL,
	"plan_ids" uuid[] NOT NULL,
	"version" integer NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "led_findings_visit_idx" ON "led_findings" USING btree ("visit_id","recorded_on");--> statement-breakpoint
CREATE INDEX "plan_visits_plans_idx" ON "plan_visits" USING gin ("plan_ids");