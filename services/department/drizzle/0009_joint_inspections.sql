CREATE TABLE "inspector_conflicts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"inspector_id" uuid NOT NULL,
	"uscc" text NOT NULL,
	"reason" text NOT NULL,
	"declared_by" text NOT NULL,
	"declared_at" timestamp with time zone NOT NULL,
	CONSTRAINT "inspector_conflicts_once" UNIQUE("inspector_id","uscc")
);
--> statement-breakpoint
CREATE TABLE "inspector_draw_businesses" (
	"draw_id" uuid NOT NULL,
	"uscc" text NOT NULL,
	"position" integer NOT NULL,
	"business_hmac" text NOT NULL,
	"items" text[] NOT NULL,
	"task_id" uuid NOT NULL,
	"eligible" jsonb NOT NULL,
	"funnel" jsonb NOT NULL,
	"team" uuid[] NOT NULL,
	"shortfall" text,
	CONSTRAINT "inspector_draw_businesses_draw_id_uscc_pk" PRIMARY KEY("draw_id","uscc")
);
--> statement-breakpoint
CREATE TABLE "inspector_draws" (
	"draw_id" uuid PRIMARY KEY NOT NULL,
	"plan_id" uuid NOT NULL,
	"seed" text NOT NULL,
	"window_from" date NOT NULL,
	"window_to" date NOT NULL,
	"drawn_at" timestamp with time zone NOT NULL,
	"event_id" text NOT NULL,
	"received_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "supervision_tasks" ALTER COLUMN "licence_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "supervision_tasks" ALTER COLUMN "licence_number" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "supervision_tasks" ALTER COLUMN "approval_item" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "inspectors" ADD COLUMN "kind" text DEFAULT 'INSPECTOR' NOT NULL;--> statement-breakpoint
ALTER TABLE "inspectors" ADD COLUMN "certificate_valid_until" date;--> statement-breakpoint
ALTER TABLE "inspectors" ADD COLUMN "updated_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "supervision_items" ADD COLUMN "emphasis" text DEFAULT 'GENERAL' NOT NULL;--> statement-breakpoint
ALTER TABLE "supervision_items" ADD COLUMN "frequency_per_year" integer;--> statement-breakpoint
ALTER TABLE "supervision_items" ADD COLUMN "check_points" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "supervision_items" ADD COLUMN "revision" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "supervision_tasks" ADD COLUMN "kind" text DEFAULT 'LICENCE' NOT NULL;--> statement-breakpoint
ALTER TABLE "supervision_tasks" ADD COLUMN "plan_id" uuid;--> statement-breakpoint
ALTER TABLE "supervision_tasks" ADD COLUMN "draw_id" uuid;--> statement-breakpoint
ALTER TABLE "supervision_tasks" ADD COLUMN "window_from" date;--> statement-breakpoint
ALTER TABLE "supervision_tasks" ADD COLUMN "items" text[];--> statement-breakpoint
CREATE INDEX "inspector_conflicts_uscc_idx" ON "inspector_conflicts" USING btree ("uscc");--> statement-breakpoint
CREATE INDEX "inspector_draw_businesses_position_idx" ON "inspector_draw_businesses" USING btree ("draw_id","position");--> statement-breakpoint
ALTER TABLE "supervision_tasks" ADD CONSTRAINT "supervision_tasks_draw_uscc" UNIQUE("draw_id","uscc");