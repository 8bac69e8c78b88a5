CREATE TABLE "draw_targets" (
	"draw_id" uuid NOT NULL,
	"uscc" text NOT NULL,
	"place" text NOT NULL,
	"name" text NOT NULL,
	"address" text NOT NULL,
	CONSTRAINT "draw_targets_draw_id_uscc_pk" PRIMARY KEY("draw_id","uscc")
);
--> statement-breakpoint
-- Draws made before this migration keep their drawn list: moved, not lost.
INSERT INTO "draw_targets" ("draw_id", "uscc", "place", "name", "address")
  SELECT "draw_id", "uscc", "place", "name", "address" FROM "draw_pool" WHERE "drawn" AND "place" IS NOT NULL;--> statement-breakpoint
DROP INDEX "draw_pool_drawn_idx";--> statement-breakpoint
DROP INDEX "draw_pool_class_idx";--> statement-breakpoint
ALTER TABLE "draw_pool" DROP COLUMN "place";--> statement-breakpoint
ALTER TABLE "draw_pool" DROP COLUMN "drawn";