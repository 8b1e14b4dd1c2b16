#include "client_member_api.h"

#include <algorithm>
#include <boost/json/serialize.hpp>

#include "cli_error.h"
#include "client/client.h"
#include "http/rest_body.h"

namespace shoal::cli {
namespace {

using client::Value;

// Values are encoded exactly as the REST API encodes a body of that Content-Type (text/plain
// a Java String, application/json a HazelcastJsonValue, octet-stream a byte[], anything else
// Shoal's REST value), and rendered back the same way, so shoalctl and REST agree.
class ClientMemberApi : public MemberApi {
public:
    ClientMemberApi(Endpoint endpoint, std::string cluster_name, std::chrono::milliseconds timeout)
        : endpoint_(endpoint), cluster_name_(cluster_name), timeout_(timeout),
          rest_(make_rest_member_api(std::move(endpoint), std::move(cluster_name), timeout)) {}

    void put(const std::string& map, const std::string& key, const std::string& value, const std::string& content_type,
             std::optional<long> ttl_seconds) override {
        auto body = http::value_data_from_body(content_type, value);
        if (!body.error.empty()) throw CliError(kExitUsage, body.error);
        const auto ttl = ttl_seconds ? std::chrono::milliseconds(*ttl_seconds * 1000) : client::kMapDefault;
        guarded("put", [&] { data_map(map).set(Value(key), Value::from_data(body.data), ttl); });
    }

    std::optional<StoredValue> get(const std::string& map, const std::string& key) override {
        std::optional<Value> value;
        guarded("get", [&] { value = data_map(map).get(Value(key)); });
        if (!value) return std::nullopt;
        auto rendered = http::render_value(value->to_data());
        return StoredValue{std::move(rendered.body), std::move(rendered.content_type)};
    }

    void remove(const std::string& map, const std::string& key) override {
        guarded("remove", [&] { data_map(map).delete_entry(Value(key)); });
    }

    long size(const std::string& map) override {
        long n = 0;
        guarded("size", [&] { n = data_map(map).size(); });
        return n;
    }

    // keySet returns every key at once; --limit cuts the (sorted) list here.
    std::vector<boost::json::value> keys(const std::string& map, long limit) override {
        std::vector<Value> keys;
        guarded("keys", [&] { keys = data_map(map).key_set(); });
        std::vector<boost::json::value> out;
        for (const auto& key : keys) out.push_back(key_json(key));
        std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
            return boost::json::serialize(a) < boost::json::serialize(b);
        });
        if (limit > 0 && static_cast<long>(out.size()) > limit) out.resize(static_cast<std::size_t>(limit));
        return out;
    }

    boost::json::object health() override { return rest_->health(); }
    boost::json::object cluster() override { return rest_->cluster(); }
    boost::json::object persistence() override { return rest_->persistence(); }
    std::string state() override { return rest_->state(); }
    std::string change_state(const std::string& state) override { return rest_->change_state(state); }

private:
    // As the REST listing: the text of a String key, else {"typeId": <id>, "hex": <payload>}.
    static boost::json::value key_json(const Value& key) {
        const std::string data = key.to_data();
        if (auto text = http::key_as_text(data)) return boost::json::value(*text);
        static constexpr char kHex[] = "0123456789abcdef";
        std::string hex;
        for (std::size_t i = 8; i < data.size(); ++i) {
            const auto c = static_cast<unsigned char>(data[i]);
            hex.push_back(kHex[c >> 4]);
            hex.push_back(kHex[c & 15]);
        }
        return boost::json::object{{"typeId", key.type_id()}, {"hex", hex}};
    }

    client::Map data_map(const std::string& name) {
        if (!client_) {
            client::ClientConfig config;
            config.addresses = {endpoint_.host + ":" + std::to_string(endpoint_.port)};
            config.cluster_name = cluster_name_;
            config.client_name = "shoalctl";
            config.smart_routing = false;  // one command, one connection: the member forwards
            config.invocation_timeout = timeout_;
            config.connect_timeout = std::min(timeout_, std::chrono::milliseconds(5000));
            config.cluster_connect_timeout = std::min(timeout_, std::chrono::milliseconds(2000));
            try {
                client_ = client::Client::connect(config);
            } catch (const client::ClientError& e) {
                throw CliError(kExitFailure, e.what());
            }
        }
        return client_->get_map(name);
    }

    template <typename F>
    void guarded(const char* what, F&& f) {
        try {
            f();
        } catch (const CliError&) {
            throw;
        } catch (const client::ServerError& e) {
            throw CliError(kExitFailure, std::string("the member refused the ") + what + ": " + e.server_message() +
                                             " (" + e.class_name() + ")");
        } catch (const client::ClientError& e) {
            throw CliError(kExitFailure, std::string(what) + " failed: " + e.what());
        }
    }

    Endpoint endpoint_;
    std::string cluster_name_;
    std::chrono::milliseconds timeout_;
    std::unique_ptr<MemberApi> rest_;
    std::unique_ptr<client::Client> client_;
};

}  // namespace

std::unique_ptr<MemberApi> make_client_member_api(Endpoint endpoint, std::string cluster_name,
                                                  std::chrono::milliseconds timeout) {
    return std::make_unique<ClientMemberApi>(std::move(endpoint), std::move(cluster_name), timeout);
}

}  // namespace shoal::cli
