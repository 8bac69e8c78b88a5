CREATE TABLE "draw_pool" (
	"draw_id" uuid NOT NULL,
	"uscc" text NOT NULL,
	"risk_class" text NOT NULL,
	"name" text NOT NULL,
	"address" text NOT NULL,
	"place" text,
	"drawn" boolean DEFAULT false NOT NULL,
	CONSTRAINT "draw_pool_draw_id_uscc_pk" PRIMARY KEY("draw_id","uscc")
);
--> statement-breakpoint
CREATE TABLE "draws" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"plan_id" uuid NOT NULL,
	"pool_hash" text NOT NULL,
	"pool_size" integer NOT NULL,
	"ratios" jsonb NOT NULL,
	"frozen_at" timestamp with time zone NOT NULL,
	"public_value" text,
	"public_value_by" text,
	"public_value_at" timestamp with time zone,
	"seed" text,
	"strata" jsonb,
	"drawn_at" timestamp with time zone,
	CONSTRAINT "draws_plan_id_unique" UNIQUE("plan_id")
);
--> statement-breakpoint
CREATE TABLE "joint_list_changes" (
	"seq" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "joint_list_changes_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"kind" text NOT NULL,
	"industries" text[] NOT NULL,
	"reach" text[] NOT NULL,
	"department" text,
	"code" text,
	"revision" integer,
	"item" jsonb,
	"lead" text,
	"cooperating" text[],
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "joint_list_departments" (
	"industry" text PRIMARY KEY NOT NULL,
	"lead" text NOT NULL,
	"cooperating" text[] NOT NULL,
	"change_seq" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "joint_list_items" (
	"department" text NOT NULL,
	"code" text NOT NULL,
	"revision" integer NOT NULL,
	"change_seq" integer NOT NULL,
	CONSTRAINT "joint_list_items_department_code_pk" PRIMARY KEY("department","code")
);
--> statement-breakpoint
CREATE TABLE "joint_plans" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"year" integer NOT NULL,
	"industry" text NOT NULL,
	"lead_department" text NOT NULL,
	"cooperating_departments" text[] NOT NULL,
	"items" jsonb NOT NULL,
	"list_version" integer NOT NULL,
	"ratios" jsonb NOT NULL,
	"target_filter" jsonb NOT NULL,
	"window_from" date NOT NULL,
	"window_to" date NOT NULL,
	"cool_down_months" integer NOT NULL,
	"status" text NOT NULL,
	"secret" text,
	"commitment" text,
	"drafted_by" text NOT NULL,
	"filed_at" timestamp with time zone,
	"published_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "plan_adjustments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"plan_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"reason" text NOT NULL,
	"before" jsonb NOT NULL,
	"after" jsonb NOT NULL,
	"filed_by" text NOT NULL,
	"filed_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "recorded_checks" (
	"task_id" text PRIMARY KEY NOT NULL,
	"uscc" text NOT NULL,
	"department" text NOT NULL,
	"outcome" text NOT NULL,
	"checked_on" date NOT NULL
);
--> statement-breakpoint
CREATE TABLE "target_classes" (
	"uscc" text PRIMARY KEY NOT NULL,
	"risk_class" text NOT NULL,
	"classified_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "target_tags" (
	"uscc" text NOT NULL,
	"tag" text NOT NULL,
	"department" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "target_tags_uscc_tag_department_pk" PRIMARY KEY("uscc","tag","department")
);
--> statement-breakpoint
CREATE INDEX "draw_pool_drawn_idx" ON "draw_pool" USING btree ("draw_id","drawn");--> statement-breakpoint
CREATE INDEX "joint_list_changes_industries_idx" ON "joint_list_changes" USING gin ("industries");--> statement-breakpoint
CREATE INDEX "joint_list_changes_reach_idx" ON "joint_list_changes" USING gin ("reach");--> statement-breakpoint
CREATE INDEX "joint_plans_year_idx" ON "joint_plans" USING btree ("year","industry");--> statement-breakpoint
CREATE INDEX "plan_adjustments_plan_idx" ON "plan_adjustments" USING btree ("plan_id","filed_at");--> statement-breakpoint
CREATE INDEX "recorded_checks_uscc_idx" ON "recorded_checks" USING btree ("uscc","checked_on");--> statement-breakpoint
CREATE INDEX "target_tags_tag_idx" ON "target_tags" USING btree ("tag","uscc");