CREATE TABLE "draw_parts" (
	"draw_id" uuid NOT NULL,
	"part" integer NOT NULL,
	"parts" integer NOT NULL,
	"data" jsonb NOT NULL,
	"event_id" text NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	CONSTRAINT "draw_parts_draw_id_part_pk" PRIMARY KEY("draw_id","part")
);
