CREATE TABLE "abnormal_listings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"uscc" text NOT NULL,
	"cause" text NOT NULL,
	"listed_on" date NOT NULL,
	"department" text NOT NULL,
	"visit_id" uuid,
	"result_id" uuid,
	"listed_at" timestamp with time zone NOT NULL,
	"removed_on" date
);
--> statement-breakpoint
CREATE TABLE "result_publications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"visit_id" uuid NOT NULL,
	"department" text NOT NULL,
	"plan_id" uuid,
	"plan_ids" uuid[] NOT NULL,
	"reason" text NOT NULL,
	"uscc" text NOT NULL,
	"business_name" text NOT NULL,
	"items" jsonb NOT NULL,
	"inspected_on" date NOT NULL,
	"departments" text[] NOT NULL,
	"certificate_numbers" text[] NOT NULL,
	"publish_by" date NOT NULL,
	"published_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "task_publications" (
	"plan_id" uuid NOT NULL,
	"department" text NOT NULL,
	"completed_on" date NOT NULL,
	"publish_by" date NOT NULL,
	"published" integer NOT NULL,
	"published_at" timestamp with time zone NOT NULL,
	CONSTRAINT "task_publications_plan_id_department_pk" PRIMARY KEY("plan_id","department")
);
--> statement-breakpoint
CREATE UNIQUE INDEX "abnormal_listings_current_idx" ON "abnormal_listings" USING btree ("uscc","cause") WHERE removed_on is null;--> statement-breakpoint
CREATE UNIQUE INDEX "result_publications_visit_idx" ON "result_publications" USING btree ("visit_id","department");--> statement-breakpoint
CREATE INDEX "result_publications_uscc_idx" ON "result_publications" USING btree ("uscc","published_at");--> statement-breakpoint
CREATE INDEX "result_publications_time_idx" ON "result_publications" USING btree ("published_at","id");--> statement-breakpoint
CREATE INDEX "result_publications_plans_idx" ON "result_publications" USING gin ("plan_ids");