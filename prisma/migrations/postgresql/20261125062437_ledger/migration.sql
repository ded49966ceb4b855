-- AlterTable
ALTER TABLE "Shop" ADD COLUMN     "expiryMonths" INTEGER,
ADD COLUMN     "expiryPolicy" TEXT NOT NULL DEFAULT 'none',
ADD COLUMN     "tierBasis" TEXT NOT NULL DEFAULT 'lifetime_points';

-- AlterTable
ALTER TABLE "Customer" ADD COLUMN     "anniversaryDate" TEXT,
ADD COLUMN     "availableCenti" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "dateOfBirth" TEXT,
ADD COLUMN     "entryCount" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "lastActivityAt" TIMESTAMP(3),
ADD COLUMN     "ledgerVersion" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "lifetimeCenti" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "lifetimeSpendMinor" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "pendingCenti" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "redeemedCenti" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "status" TEXT NOT NULL DEFAULT 'active',
ADD COLUMN     "vipTierId" TEXT;

-- CreateTable
CREATE TABLE "EarningRule" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "category" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "pointsCenti" BIGINT NOT NULL DEFAULT 0,
    "pointsPerUnitCenti" BIGINT,
    "rounding" TEXT NOT NULL DEFAULT 'down',
    "includeShipping" BOOLEAN NOT NULL DEFAULT false,
    "includeTax" BOOLEAN NOT NULL DEFAULT false,
    "approvalDays" INTEGER NOT NULL DEFAULT 0,
    "oncePerMember" BOOLEAN NOT NULL DEFAULT true,
    "isActive" BOOLEAN NOT NULL DEFAULT true,
    "customerFacingLabel" TEXT,
    "callToActionUrl" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "deletedAt" TIMESTAMP(3),

    CONSTRAINT "EarningRule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Reward" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "discountType" TEXT NOT NULL,
    "pointsCostCenti" BIGINT,
    "discountAmountMinor" BIGINT,
    "discountPercentBp" INTEGER,
    "minimumSpendMinor" BIGINT,
    "expiryDays" INTEGER,
    "maxRedemptions" INTEGER,
    "vipTierId" TEXT,
    "freeProductVariantId" TEXT,
    "combinesWithOrder" BOOLEAN NOT NULL DEFAULT false,
    "combinesWithProduct" BOOLEAN NOT NULL DEFAULT false,
    "combinesWithShipping" BOOLEAN NOT NULL DEFAULT false,
    "isVariable" BOOLEAN NOT NULL DEFAULT false,
    "pointsPerUnitCenti" BIGINT,
    "minPointsCenti" BIGINT,
    "maxPointsCenti" BIGINT,
    "isActive" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "deletedAt" TIMESTAMP(3),

    CONSTRAINT "Reward_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "VipTier" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "threshold" BIGINT NOT NULL,
    "multiplierBp" INTEGER NOT NULL DEFAULT 10000,
    "badgeImageUrl" TEXT,
    "badgeColor" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "VipTier_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Lot" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "ruleId" TEXT,
    "orderId" TEXT,
    "sourceKey" TEXT,
    "basePointsCenti" BIGINT NOT NULL,
    "multiplierBp" INTEGER NOT NULL DEFAULT 10000,
    "amountCenti" BIGINT NOT NULL,
    "remainingCenti" BIGINT NOT NULL,
    "reversedCenti" BIGINT NOT NULL DEFAULT 0,
    "status" TEXT NOT NULL,
    "dueAt" TIMESTAMP(3),
    "givenAt" TIMESTAMP(3),
    "expiresAt" TIMESTAMP(3),
    "note" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Lot_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LedgerEntry" (
    "id" TEXT NOT NULL,
    "sequence" INTEGER NOT NULL,
    "shopId" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "availableDeltaCenti" BIGINT NOT NULL DEFAULT 0,
    "pendingDeltaCenti" BIGINT NOT NULL DEFAULT 0,
    "lifetimeDeltaCenti" BIGINT NOT NULL DEFAULT 0,
    "redeemedDeltaCenti" BIGINT NOT NULL DEFAULT 0,
    "availableAfterCenti" BIGINT NOT NULL,
    "pendingAfterCenti" BIGINT NOT NULL,
    "lotId" TEXT,
    "customerRewardId" TEXT,
    "orderId" TEXT,
    "note" TEXT,
    "actor" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LedgerEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LotAllocation" (
    "id" TEXT NOT NULL,
    "lotId" TEXT NOT NULL,
    "entryId" TEXT NOT NULL,
    "customerRewardId" TEXT,
    "amountCenti" BIGINT NOT NULL,
    "restoredCenti" BIGINT NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LotAllocation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CustomerReward" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "rewardId" TEXT NOT NULL,
    "rewardSnapshot" TEXT NOT NULL,
    "pointsSpentCenti" BIGINT NOT NULL,
    "valueMinor" BIGINT,
    "discountCode" TEXT,
    "shopifyDiscountId" TEXT,
    "status" TEXT NOT NULL DEFAULT 'active',
    "expiresAt" TIMESTAMP(3),
    "usedAt" TIMESTAMP(3),
    "refundedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CustomerReward_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Order" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "shopifyOrderId" TEXT NOT NULL,
    "orderNumber" TEXT,
    "currency" TEXT NOT NULL,
    "eligibleMinor" BIGINT NOT NULL,
    "refundedMinor" BIGINT NOT NULL DEFAULT 0,
    "cancelledAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Order_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "IdempotencyRecord" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "operation" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "requestHash" TEXT NOT NULL,
    "response" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "IdempotencyRecord_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ActivityLog" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "memberId" TEXT,
    "type" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "data" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ActivityLog_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OutboxEvent" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "memberId" TEXT,
    "topic" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "availableAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastError" TEXT,
    "deliveredAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OutboxEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TierChange" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "fromTierId" TEXT,
    "toTierId" TEXT,
    "direction" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TierChange_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "EarningRule_shopId_category_idx" ON "EarningRule"("shopId", "category");

-- CreateIndex
CREATE INDEX "Reward_shopId_isActive_idx" ON "Reward"("shopId", "isActive");

-- CreateIndex
CREATE INDEX "VipTier_shopId_threshold_idx" ON "VipTier"("shopId", "threshold");

-- CreateIndex
CREATE INDEX "Lot_memberId_status_expiresAt_idx" ON "Lot"("memberId", "status", "expiresAt");

-- CreateIndex
CREATE INDEX "Lot_shopId_status_dueAt_idx" ON "Lot"("shopId", "status", "dueAt");

-- CreateIndex
CREATE INDEX "Lot_shopId_status_expiresAt_idx" ON "Lot"("shopId", "status", "expiresAt");

-- CreateIndex
CREATE UNIQUE INDEX "Lot_memberId_sourceKey_key" ON "Lot"("memberId", "sourceKey");

-- CreateIndex
CREATE INDEX "LedgerEntry_memberId_createdAt_idx" ON "LedgerEntry"("memberId", "createdAt");

-- CreateIndex
CREATE INDEX "LedgerEntry_shopId_createdAt_idx" ON "LedgerEntry"("shopId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "LedgerEntry_memberId_sequence_key" ON "LedgerEntry"("memberId", "sequence");

-- CreateIndex
CREATE INDEX "LotAllocation_customerRewardId_idx" ON "LotAllocation"("customerRewardId");

-- CreateIndex
CREATE INDEX "LotAllocation_lotId_idx" ON "LotAllocation"("lotId");

-- CreateIndex
CREATE INDEX "CustomerReward_memberId_status_idx" ON "CustomerReward"("memberId", "status");

-- CreateIndex
CREATE INDEX "CustomerReward_memberId_rewardId_idx" ON "CustomerReward"("memberId", "rewardId");

-- CreateIndex
CREATE UNIQUE INDEX "CustomerReward_shopId_discountCode_key" ON "CustomerReward"("shopId", "discountCode");

-- CreateIndex
CREATE UNIQUE INDEX "Order_shopId_shopifyOrderId_key" ON "Order"("shopId", "shopifyOrderId");

-- CreateIndex
CREATE UNIQUE INDEX "IdempotencyRecord_shopId_operation_key_key" ON "IdempotencyRecord"("shopId", "operation", "key");

-- CreateIndex
CREATE INDEX "ActivityLog_shopId_createdAt_idx" ON "ActivityLog"("shopId", "createdAt");

-- CreateIndex
CREATE INDEX "ActivityLog_memberId_createdAt_idx" ON "ActivityLog"("memberId", "createdAt");

-- CreateIndex
CREATE INDEX "OutboxEvent_status_availableAt_idx" ON "OutboxEvent"("status", "availableAt");

-- CreateIndex
CREATE INDEX "OutboxEvent_shopId_topic_idx" ON "OutboxEvent"("shopId", "topic");

-- CreateIndex
CREATE INDEX "TierChange_memberId_createdAt_idx" ON "TierChange"("memberId", "createdAt");

-- CreateIndex
CREATE INDEX "Customer_shopId_vipTierId_idx" ON "Customer"("shopId", "vipTierId");

-- AddForeignKey
ALTER TABLE "Customer" ADD CONSTRAINT "Customer_vipTierId_fkey" FOREIGN KEY ("vipTierId") REFERENCES "VipTier"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EarningRule" ADD CONSTRAINT "EarningRule_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Reward" ADD CONSTRAINT "Reward_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Reward" ADD CONSTRAINT "Reward_vipTierId_fkey" FOREIGN KEY ("vipTierId") REFERENCES "VipTier"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VipTier" ADD CONSTRAINT "VipTier_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Lot" ADD CONSTRAINT "Lot_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Lot" ADD CONSTRAINT "Lot_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Customer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Lot" ADD CONSTRAINT "Lot_ruleId_fkey" FOREIGN KEY ("ruleId") REFERENCES "EarningRule"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LedgerEntry" ADD CONSTRAINT "LedgerEntry_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LedgerEntry" ADD CONSTRAINT "LedgerEntry_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Customer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LedgerEntry" ADD CONSTRAINT "LedgerEntry_lotId_fkey" FOREIGN KEY ("lotId") REFERENCES "Lot"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LotAllocation" ADD CONSTRAINT "LotAllocation_lotId_fkey" FOREIGN KEY ("lotId") REFERENCES "Lot"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LotAllocation" ADD CONSTRAINT "LotAllocation_entryId_fkey" FOREIGN KEY ("entryId") REFERENCES "LedgerEntry"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CustomerReward" ADD CONSTRAINT "CustomerReward_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CustomerReward" ADD CONSTRAINT "CustomerReward_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Customer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CustomerReward" ADD CONSTRAINT "CustomerReward_rewardId_fkey" FOREIGN KEY ("rewardId") REFERENCES "Reward"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Order" ADD CONSTRAINT "Order_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Order" ADD CONSTRAINT "Order_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Customer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "IdempotencyRecord" ADD CONSTRAINT "IdempotencyRecord_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ActivityLog" ADD CONSTRAINT "ActivityLog_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OutboxEvent" ADD CONSTRAINT "OutboxEvent_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TierChange" ADD CONSTRAINT "TierChange_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TierChange" ADD CONSTRAINT "TierChange_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Customer"("id") ON DELETE CASCADE ON UPDATE CASCADE;
