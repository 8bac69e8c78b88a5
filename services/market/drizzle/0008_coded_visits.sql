CREATE TABLE "visit_departments" (
	"visit_id" uuid NOT NULL,
	"department" text NOT NULL,
	"items" text[] NOT NULL,
	"team" jsonb,
	"shortfall" text,
	"delegated_to" text,
	"task_id" uuid,
	CONSTRAINT "visit_departments_visit_id_department_pk" PRIMARY KEY("visit_id","department")
);
--> statement-breakpoint
CREATE TABLE "visit_results" (
	"result_id" uuid PRIMARY KEY NOT NULL,
	"visit_id" uuid NOT NULL,
	"department" text NOT NULL,
	"recorded_by_department" text NOT NULL,
	"uscc" text NOT NULL,
	"items" jsonb NOT NULL,
	"officers" text[] NOT NULL,
	"findings" integer NOT NULL,
	"inspected_on" date NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "visits" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"code" text,
	"version" integer DEFAULT 0 NOT NULL,
	"uscc" text NOT NULL,
	"business_name" text NOT NULL,
	"reason" text NOT NULL,
	"reason_detail" text,
	"plan_ids" uuid[] NOT NULL,
	"request_id" uuid,
	"planned_on" date NOT NULL,
	"valid_from" date NOT NULL,
	"valid_until" date NOT NULL,
	"status" text NOT NULL,
	"merged_into" uuid,
	"merged_from" uuid[] DEFAULT '{}' NOT NULL,
	"coded_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "visits_code_unique" UNIQUE("code"),
	CONSTRAINT "visits_request_id_unique" UNIQUE("request_id")
);
--> statement-breakpoint
CREATE INDEX "visit_results_visit_idx" ON "visit_results" USING btree ("visit_id","department");--> statement-breakpoint
CREATE INDEX "visits_uscc_idx" ON "visits" USING btree ("uscc","valid_from");--> statement-breakpoint
CREATE INDEX "visits_plans_idx" ON "visits" USING gin ("plan_ids");