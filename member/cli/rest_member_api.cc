#include "rest_member_api.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/json/parse.hpp>

#include "cli_error.h"
#include "http/uri.h"

namespace shoal::cli {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace asio = boost::asio;

struct Reply {
    int status = 0;
    std::string body;
    std::string content_type;
};

class RestMemberApi : public MemberApi {
public:
    RestMemberApi(Endpoint endpoint, std::string cluster_name, std::chrono::milliseconds timeout)
        : endpoint_(std::move(endpoint)), cluster_name_(std::move(cluster_name)), timeout_(timeout) {}

    void put(const std::string& map, const std::string& key, const std::string& value, const std::string& content_type,
             std::optional<long> ttl_seconds) override {
        std::string target = entry_path(map, key);
        if (ttl_seconds) target += "?ttl=" + std::to_string(*ttl_seconds);
        expect_ok(call(http::verb::post, target, value, content_type));
    }

    std::optional<StoredValue> get(const std::string& map, const std::string& key) override {
        const Reply reply = call(http::verb::get, entry_path(map, key));
        if (reply.status == 204) return std::nullopt;
        expect_ok(reply);
        return StoredValue{reply.body, reply.content_type};
    }

    void remove(const std::string& map, const std::string& key) override {
        expect_ok(call(http::verb::delete_, entry_path(map, key)));
    }

    long size(const std::string& map) override {
        return json_of(call(http::verb::get, map_path(map) + "?limit=1")).at("size").to_number<long>();
    }

    std::vector<boost::json::value> keys(const std::string& map, long limit) override {
        std::vector<boost::json::value> keys;
        std::string cursor = "0";
        while (limit == 0 || static_cast<long>(keys.size()) < limit) {
            const auto page = json_of(call(http::verb::get, map_path(map) + "?limit=1000&cursor=" + cursor));
            for (const auto& key : page.at("keys").as_array()) {
                if (limit != 0 && static_cast<long>(keys.size()) >= limit) break;
                keys.push_back(key);
            }
            if (page.at("nextCursor").is_null()) break;
            cursor = std::to_string(page.at("nextCursor").to_number<long>());
        }
        return keys;
    }

    boost::json::object health() override {
        boost::json::object health = json_of(call(http::verb::get, "/hazelcast/health")).as_object();
        health["ready"] = call(http::verb::get, "/hazelcast/health/ready").status == 200;
        return health;
    }

    boost::json::object cluster() override { return json_of(call(http::verb::get, "/hazelcast/rest/cluster")).as_object(); }

    boost::json::object persistence() override {
        return json_of(call(http::verb::get, "/hazelcast/rest/persistence")).as_object();
    }

    std::string state() override {
        return state_of(call(http::verb::post, "/hazelcast/rest/management/cluster/state", form({})));
    }

    std::string change_state(const std::string& state) override {
        return state_of(call(http::verb::post, "/hazelcast/rest/management/cluster/changeState", form({state})));
    }

private:
    static std::string map_path(const std::string& map) { return "/hazelcast/rest/maps/" + shoal::http::percent_encode(map); }
    static std::string entry_path(const std::string& map, const std::string& key) {
        return map_path(map) + "/" + shoal::http::percent_encode(key);
    }

    // Hazelcast's management body: clusterName&password[&extra...]; no password without security.
    std::string form(const std::vector<std::string>& extra) const {
        std::string body = shoal::http::percent_encode(cluster_name_) + "&";
        for (const auto& e : extra) body += "&" + shoal::http::percent_encode(e);
        return body;
    }

    std::string state_of(const Reply& reply) {
        if (reply.status == 403) {
            throw CliError(kExitFailure, "the member refused: cluster name '" + cluster_name_ +
                                             "' does not match its cluster (use --cluster-name)");
        }
        const auto body = json_of(reply);
        std::string state(body.at("state").as_string());
        for (char& c : state) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        return state;
    }

    std::string where() const { return endpoint_.host + ":" + std::to_string(endpoint_.port); }

    Reply call(http::verb method, const std::string& target, const std::string& body = {},
               const std::string& content_type = {}) {
        asio::io_context io;
        beast::tcp_stream stream(io);
        stream.expires_after(timeout_);
        beast::error_code ec;
        asio::ip::tcp::resolver resolver(io);
        const auto addresses = resolver.resolve(endpoint_.host, std::to_string(endpoint_.port), ec);
        if (ec) throw CliError(kExitFailure, "cannot resolve " + endpoint_.host + ": " + ec.message());
        stream.connect(addresses, ec);
        if (ec) throw CliError(kExitFailure, "cannot connect to " + where() + ": " + ec.message());
        http::request<http::string_body> request{method, target, 11};
        request.set(http::field::host, endpoint_.host);
        request.set(http::field::user_agent, "shoalctl/" SHOAL_VERSION);
        if (!content_type.empty()) request.set(http::field::content_type, content_type);
        request.body() = body;
        request.prepare_payload();
        http::write(stream, request, ec);
        beast::flat_buffer buffer;
        http::response<http::string_body> response;
        if (!ec) http::read(stream, buffer, response, ec);
        if (ec) {
            throw CliError(kExitFailure, std::string(method == http::verb::get ? "GET " : "request ") + target + " to " +
                                             where() + " failed: " + ec.message());
        }
        last_request_ = std::string(http::to_string(method)) + " " + target;
        return {static_cast<int>(response.result_int()), response.body(),
                std::string(response[http::field::content_type])};
    }

    // Non-2xx becomes a CliError carrying the member's own message.
    void expect_ok(const Reply& reply) const {
        if (reply.status >= 200 && reply.status < 300) return;
        std::string message = reply.body;
        boost::system::error_code ec;
        const auto parsed = boost::json::parse(reply.body, ec);
        if (!ec && parsed.is_object() && parsed.as_object().contains("message") && parsed.at("message").is_string()) {
            message = std::string(parsed.at("message").as_string());
        }
        throw CliError(kExitFailure, "member answered " + std::to_string(reply.status) + " to " + last_request_ + ": " + message);
    }

    boost::json::value json_of(const Reply& reply) const {
        expect_ok(reply);
        boost::system::error_code ec;
        auto parsed = boost::json::parse(reply.body, ec);
        if (ec) throw CliError(kExitFailure, "the member's answer to " + last_request_ + " is not JSON: " + ec.message());
        return parsed;
    }

    Endpoint endpoint_;
    std::string cluster_name_;
    std::chrono::milliseconds timeout_;
    std::string last_request_;
};

}  // namespace

std::unique_ptr<MemberApi> make_rest_member_api(Endpoint endpoint, std::string cluster_name,
                                                std::chrono::milliseconds timeout) {
    return std::make_unique<RestMemberApi>(std::move(endpoint), std::move(cluster_name), timeout);
}

}  // namespace shoal::cli
