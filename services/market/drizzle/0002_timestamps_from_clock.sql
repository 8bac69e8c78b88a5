ALTER TABLE "calendar_years" ALTER COLUMN "updated_at" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "enterprises" ALTER COLUMN "created_at" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "enterprises" ALTER COLUMN "updated_at" DROP DEFAULT;