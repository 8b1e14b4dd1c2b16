// MemberFixture: a real member in-process on 127.0.0.1 and a kernel-chosen port, plus raw
// socket helpers for requests no well-behaved client would send.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "app/member.h"
#include "test_support.h"

namespace shoal::test {

class MemberFixture : public ::testing::Test {
protected:
    // Tests may adjust the config before SetUp runs by overriding this.
    virtual void configure(config::MemberConfig& config) { (void)config; }

    void SetUp() override {
        config::MemberConfig config;
        config.local_address = "127.0.0.1";
        config.network.port = 0;
        config.partition_thread_count = 2;
        config.io_thread_count = 2;
        configure(config);
        member_ = std::make_unique<app::Member>(config);
        member_->start();
    }
    void TearDown() override { member_->shutdown(); }

    HttpReply get(const std::string& target) { return http_request("127.0.0.1", port(), "GET", target); }
    HttpReply send(const std::string& method, const std::string& target, const std::string& body = {},
                   const std::string& content_type = {}) {
        return http_request("127.0.0.1", port(), method, target, body, content_type);
    }
    int port() const { return member_->port(); }
    app::Member& member() { return *member_; }

    // Writes raw bytes and returns everything the member answers until it closes the
    // connection or `timeout` passes.
    std::string raw_exchange(const std::string& bytes, std::chrono::milliseconds timeout = std::chrono::seconds(5));

private:
    std::unique_ptr<app::Member> member_;
};

}  // namespace shoal::test
