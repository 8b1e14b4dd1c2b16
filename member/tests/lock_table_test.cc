// LockTable: reentrant key locks per owner, leases, force unlock, release of a departed client.
#include <gtest/gtest.h>

#include "map/lock_table.h"

namespace shoal::map {
namespace {

TEST(LockTable, IsReentrantForItsOwnerAndRefusesOthers) {
    LockTable locks;
    EXPECT_TRUE(locks.try_lock("m", "k", "a1", 0, 1000));
    EXPECT_TRUE(locks.try_lock("m", "k", "a1", 0, 1000));
    EXPECT_FALSE(locks.try_lock("m", "k", "b1", 0, 1000));
    EXPECT_TRUE(locks.locked_by_other("m", "k", "b1", 1000));
    EXPECT_FALSE(locks.locked_by_other("m", "k", "a1", 1000));
    EXPECT_FALSE(locks.is_locked("other", "k", 1000)) << "locks are per map";
    EXPECT_EQ(locks.unlock("m", "k", "b1", 1000), LockTable::Unlock::kNotOwner);
    EXPECT_EQ(locks.unlock("m", "k", "a1", 1000), LockTable::Unlock::kStillHeld);
    EXPECT_EQ(locks.unlock("m", "k", "a1", 1000), LockTable::Unlock::kReleased);
    EXPECT_FALSE(locks.is_locked("m", "k", 1000));
    EXPECT_EQ(locks.unlock("m", "k", "a1", 1000), LockTable::Unlock::kNotOwner);
}

TEST(LockTable, ALeaseEndsTheLockWhateverItsCount) {
    LockTable locks;
    EXPECT_TRUE(locks.try_lock("m", "k", "a", 100, 1000));
    EXPECT_TRUE(locks.try_lock("m", "k", "a", 100, 1050));  // renews: until 1150
    EXPECT_TRUE(locks.is_locked("m", "k", 1149));
    EXPECT_FALSE(locks.is_locked("m", "k", 1150));
    EXPECT_TRUE(locks.try_lock("m", "k", "b", 0, 1150));
    EXPECT_TRUE(locks.force_unlock("m", "k", 1200));
    EXPECT_FALSE(locks.force_unlock("m", "k", 1200));
    EXPECT_TRUE(locks.empty());
}

TEST(LockTable, ReleasingAnOwnerPrefixFreesEveryThreadOfThatClient) {
    LockTable locks;
    EXPECT_TRUE(locks.try_lock("m", "k1", "client-a/1", 0, 0));
    EXPECT_TRUE(locks.try_lock("n", "k2", "client-a/2", 0, 0));
    EXPECT_TRUE(locks.try_lock("m", "k3", "client-b/1", 0, 0));
    EXPECT_EQ(locks.release_owner("client-a/"), 2u);
    EXPECT_FALSE(locks.is_locked("m", "k1", 0));
    EXPECT_TRUE(locks.is_locked("m", "k3", 0));
}

}  // namespace
}  // namespace shoal::map
