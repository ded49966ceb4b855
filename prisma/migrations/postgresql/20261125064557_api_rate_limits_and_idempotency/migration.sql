-- AlterTable
ALTER TABLE "ApiKey" ADD COLUMN     "rateLimitBurst" INTEGER,
ADD COLUMN     "rateLimitPerSecond" INTEGER;

-- CreateTable
CREATE TABLE "ApiRateLimit" (
    "keyId" TEXT NOT NULL,
    "milliTokens" BIGINT NOT NULL,
    "updatedMs" BIGINT NOT NULL,

    CONSTRAINT "ApiRateLimit_pkey" PRIMARY KEY ("keyId")
);

-- CreateTable
CREATE TABLE "ApiIdempotentRequest" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "method" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "requestHash" TEXT NOT NULL,
    "status" INTEGER,
    "body" TEXT,
    "contentType" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completedAt" TIMESTAMP(3),

    CONSTRAINT "ApiIdempotentRequest_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ApiIdempotentRequest_createdAt_idx" ON "ApiIdempotentRequest"("createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "ApiIdempotentRequest_shopId_key_key" ON "ApiIdempotentRequest"("shopId", "key");
