-- AlterTable
ALTER TABLE "Shop" ADD COLUMN     "returnPointsOnRewardExpiry" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "JobState" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "job" TEXT NOT NULL,
    "key" TEXT NOT NULL DEFAULT '',
    "status" TEXT NOT NULL DEFAULT 'idle',
    "cursor" TEXT,
    "processed" INTEGER NOT NULL DEFAULT 0,
    "total" INTEGER,
    "leaseUntil" TIMESTAMP(3),
    "lastError" TEXT,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "JobState_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "JobState_shopId_job_key_key" ON "JobState"("shopId", "job", "key");

-- AddForeignKey
ALTER TABLE "JobState" ADD CONSTRAINT "JobState_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;
