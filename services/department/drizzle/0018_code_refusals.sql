ALTER TABLE "code_requests" ADD COLUMN "refused_because" text;--> statement-breakpoint
ALTER TABLE "code_requests" ADD COLUMN "refused_at" timestamp with time zone;