CREATE TABLE "code_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"uscc" text NOT NULL,
	"reason" text NOT NULL,
	"reason_detail" text NOT NULL,
	"items" text[] NOT NULL,
	"team" jsonb NOT NULL,
	"valid_from" date NOT NULL,
	"valid_until" date NOT NULL,
	"task_id" uuid NOT NULL,
	"requested_by" text NOT NULL,
	"requested_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "inspection_results" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"result_id" uuid NOT NULL,
	"visit_id" uuid NOT NULL,
	"code" text NOT NULL,
	"uscc" text NOT NULL,
	"item_code" text NOT NULL,
	"categories" text[] NOT NULL,
	"answers" jsonb NOT NULL,
	"evidence" text[] NOT NULL,
	"officers" text[] NOT NULL,
	"officer_certificates" text[] NOT NULL,
	"experts" text[] NOT NULL,
	"inspected_on" date NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL,
	"late_entry" boolean NOT NULL,
	"recorded_by" text NOT NULL,
	"recorded_by_department" text NOT NULL,
	"task_id" uuid,
	CONSTRAINT "inspection_results_item_once" UNIQUE("visit_id","item_code")
);
--> statement-breakpoint
CREATE TABLE "visit_codes" (
	"visit_id" uuid PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"version" integer NOT NULL,
	"uscc" text NOT NULL,
	"business_name" text NOT NULL,
	"reason" text NOT NULL,
	"reason_detail" text,
	"plan_ids" uuid[] NOT NULL,
	"request_id" uuid,
	"planned_on" date NOT NULL,
	"valid_from" date NOT NULL,
	"valid_until" date NOT NULL,
	"departments" jsonb NOT NULL,
	"merged_from" uuid[] NOT NULL,
	"members" text[] NOT NULL,
	"task_ids" uuid[] NOT NULL,
	"status" text DEFAULT 'VALID' NOT NULL,
	"merged_into" uuid,
	"revoked_at" timestamp with time zone,
	"issued_at" timestamp with time zone NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "visit_codes_code_unique" UNIQUE("code")
);
--> statement-breakpoint
CREATE INDEX "code_requests_requested_idx" ON "code_requests" USING btree ("requested_at");--> statement-breakpoint
CREATE INDEX "inspection_results_result_idx" ON "inspection_results" USING btree ("result_id");--> statement-breakpoint
CREATE INDEX "visit_codes_members_idx" ON "visit_codes" USING gin ("members");--> statement-breakpoint
CREATE INDEX "visit_codes_tasks_idx" ON "visit_codes" USING gin ("task_ids");--> statement-breakpoint
CREATE INDEX "visit_codes_request_idx" ON "visit_codes" USING btree ("request_id");