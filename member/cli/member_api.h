// MemberApi: what shoalctl asks of a member. ClientMemberApi (client_member_api.h) answers the
// data commands over the client protocol and the rest over REST (RestMemberApi).
#pragma once

#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <vector>

namespace shoal::cli {

struct StoredValue {
    std::string bytes;
    std::string content_type;
};

class MemberApi {
public:
    virtual ~MemberApi() = default;

    virtual void put(const std::string& map, const std::string& key, const std::string& value,
                     const std::string& content_type, std::optional<long> ttl_seconds) = 0;
    virtual std::optional<StoredValue> get(const std::string& map, const std::string& key) = 0;
    virtual void remove(const std::string& map, const std::string& key) = 0;
    virtual long size(const std::string& map) = 0;
    // Up to `limit` keys (0 = all), each a string or {"typeId","hex"}.
    virtual std::vector<boost::json::value> keys(const std::string& map, long limit) = 0;
    virtual boost::json::object health() = 0;  // plus "ready": bool
    virtual boost::json::object cluster() = 0;
    virtual boost::json::object persistence() = 0;  // as GET /hazelcast/rest/persistence
    virtual std::string state() = 0;
    virtual std::string change_state(const std::string& state) = 0;  // returns the new state
};

}  // namespace shoal::cli
