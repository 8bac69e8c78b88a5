ALTER TABLE "inspector_draw_businesses" ADD COLUMN "key_items" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "inspector_draw_businesses" ADD COLUMN "expert_eligible" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "inspector_draw_businesses" ADD COLUMN "experts" uuid[] DEFAULT '{}'::uuid[] NOT NULL;