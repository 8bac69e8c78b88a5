ALTER TABLE "draws" ADD COLUMN "delivered_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "draw_targets" DROP COLUMN "name";--> statement-breakpoint
ALTER TABLE "draw_targets" DROP COLUMN "address";--> statement-breakpoint
-- The pool's key in byte order (docs/draw.md: the pool text is sorted by uscc as bytes), so that the
-- draw reads a frozen pool in its canonical order straight from the primary key, in chunks; the
-- class carried in the key's index, so that the read needs no visit of the table (drizzle-kit
-- models neither the collation nor INCLUDE).
ALTER TABLE "draw_pool" DROP CONSTRAINT "draw_pool_draw_id_uscc_pk";--> statement-breakpoint
ALTER TABLE "draw_pool" ALTER COLUMN "uscc" SET DATA TYPE text COLLATE "C";--> statement-breakpoint
ALTER TABLE "draw_pool" ADD CONSTRAINT "draw_pool_draw_id_uscc_pk" PRIMARY KEY ("draw_id", "uscc") INCLUDE ("risk_class");
