#include "commands.h"

#include <boost/json/serialize.hpp>
#include <thread>

#include "cli_error.h"

namespace shoal::cli {
namespace {

void need_arguments(const CliOptions& o, std::size_t count, const char* names) {
    if (o.arguments.size() < count) {
        throw CliError(kExitUsage, "'" + o.command + "' needs " + names + " (missing " +
                                       std::to_string(count - o.arguments.size()) + ")");
    }
    if (o.arguments.size() > count) {
        throw CliError(kExitUsage, "'" + o.command + "' takes only " + names + "; unexpected '" +
                                       o.arguments[count] + "'");
    }
}

std::string text_of(const boost::json::value& v) {
    return v.is_string() ? std::string(v.as_string()) : boost::json::serialize(v);
}

int put(const CliOptions& o, MemberApi& api, std::ostream& out) {
    need_arguments(o, 3, "MAP KEY VALUE");
    std::optional<long> ttl;
    if (auto it = o.flags.find("--ttl"); it != o.flags.end()) ttl = std::stol(it->second);
    const auto type = o.flags.count("--content-type") ? o.flags.at("--content-type") : "text/plain";
    api.put(o.arguments[0], o.arguments[1], o.arguments[2], type, ttl);
    if (o.json) {
        out << R"({"status":"ok"})" << '\n';
    } else {
        out << "OK\n";
    }
    return kExitOk;
}

int get(const CliOptions& o, MemberApi& api, std::ostream& out) {
    need_arguments(o, 2, "MAP KEY");
    const auto value = api.get(o.arguments[0], o.arguments[1]);
    if (!value) throw CliError(kExitNotFound, o.arguments[0] + "[" + o.arguments[1] + "]: no such entry");
    if (o.json) {
        boost::json::object body{{"map", o.arguments[0]}, {"key", o.arguments[1]}, {"value", value->bytes},
                                 {"contentType", value->content_type}};
        out << boost::json::serialize(body) << '\n';
    } else {
        out << value->bytes << '\n';
    }
    return kExitOk;
}

int remove(const CliOptions& o, MemberApi& api, std::ostream& out) {
    need_arguments(o, 2, "MAP KEY");
    api.remove(o.arguments[0], o.arguments[1]);
    out << (o.json ? R"({"status":"ok"})" : "OK") << '\n';
    return kExitOk;
}

int size(const CliOptions& o, MemberApi& api, std::ostream& out) {
    need_arguments(o, 1, "MAP");
    const long n = api.size(o.arguments[0]);
    if (o.json) {
        out << boost::json::serialize(boost::json::object{{"map", o.arguments[0]}, {"size", n}}) << '\n';
    } else {
        out << n << '\n';
    }
    return kExitOk;
}

int keys(const CliOptions& o, MemberApi& api, std::ostream& out) {
    need_arguments(o, 1, "MAP");
    const long limit = o.flags.count("--limit") ? std::stol(o.flags.at("--limit")) : 0;
    const auto keys = api.keys(o.arguments[0], limit);
    if (o.json) {
        boost::json::array array(keys.begin(), keys.end());
        out << boost::json::serialize(array) << '\n';
    } else {
        for (const auto& key : keys) out << text_of(key) << '\n';
    }
    return kExitOk;
}

int wait_ready(MemberApi& api, long seconds, std::ostream& out) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    std::string last_error = "not ready";
    while (true) {
        try {
            if (api.health().at("ready").as_bool()) {
                out << "ready\n";
                return kExitOk;
            }
            last_error = "not ready";
        } catch (const CliError& e) {
            last_error = e.what();  // not up yet: keep polling until the deadline
        }
        if (std::chrono::steady_clock::now() >= deadline) {
            throw CliError(kExitFailure, "the member was not ready within " + std::to_string(seconds) + " s: " + last_error);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
}

int health(const CliOptions& o, MemberApi& api, std::ostream& out) {
    need_arguments(o, 0, "no arguments");
    if (o.flags.count("--wait-ready")) return wait_ready(api, std::stol(o.flags.at("--wait-ready")), out);
    const auto health = api.health();
    if (o.json) {
        out << boost::json::serialize(health) << '\n';
        return kExitOk;
    }
    for (const char* key : {"nodeState", "clusterState", "clusterSafe", "migrationQueueSize", "clusterSize"}) {
        if (health.contains(key)) out << key << ": " << std::string(20 - std::string(key).size(), ' ') << text_of(health.at(key)) << '\n';
    }
    out << "ready: " << std::string(15, ' ') << (health.at("ready").as_bool() ? "yes" : "no") << '\n';
    return kExitOk;
}

int cluster(const CliOptions& o, MemberApi& api, std::ostream& out) {
    need_arguments(o, 0, "no arguments");
    const auto info = api.cluster();
    if (o.json) {
        out << boost::json::serialize(info) << '\n';
    } else {
        out << format_cluster(info);
    }
    return kExitOk;
}

int persistence(const CliOptions& o, MemberApi& api, std::ostream& out) {
    need_arguments(o, 0, "no arguments");
    const auto status = api.persistence();
    if (o.json) {
        out << boost::json::serialize(status) << '\n';
        return kExitOk;
    }
    if (!status.at("enabled").as_bool()) {
        out << "persistence: off\n";
        return kExitOk;
    }
    for (const char* key : {"phase", "dir", "entries", "records", "bytes", "cutBytes", "loadMillis"}) {
        if (status.contains(key)) out << key << ": " << std::string(12 - std::string(key).size(), ' ') << text_of(status.at(key)) << '\n';
    }
    return kExitOk;
}

int state(const CliOptions& o, MemberApi& api, std::ostream& out) {
    if (o.arguments.size() > 1) throw CliError(kExitUsage, "'state' takes at most one argument, the new state");
    const std::string state = o.arguments.empty() ? api.state() : api.change_state(o.arguments[0]);
    if (o.json) {
        out << boost::json::serialize(boost::json::object{{"state", state}}) << '\n';
    } else {
        out << state << '\n';
    }
    return kExitOk;
}

}  // namespace

std::string format_cluster(const boost::json::object& info) {
    const auto& members = info.at("members").as_array();
    std::string out = "Cluster " + text_of(info.at("clusterName")) + " (" + text_of(info.at("clusterId")) +
                      "), state " + text_of(info.at("state")) + ", version " + text_of(info.at("version")) + "\n";
    out += "Members {size:" + std::to_string(members.size()) + ", ver:" + text_of(info.at("memberListVersion")) + "} [\n";
    for (const auto& m : members) {
        out += "\tMember " + text_of(m.at("address")) + " - " + text_of(m.at("uuid"));
        if (m.at("local").as_bool()) out += " this";
        out += "\n";
    }
    out += "]\n";
    return out;
}

int run_command(const CliOptions& o, MemberApi& api, std::ostream& out) {
    if (o.command == "put") return put(o, api, out);
    if (o.command == "get") return get(o, api, out);
    if (o.command == "remove") return remove(o, api, out);
    if (o.command == "size") return size(o, api, out);
    if (o.command == "keys") return keys(o, api, out);
    if (o.command == "health") return health(o, api, out);
    if (o.command == "cluster") return cluster(o, api, out);
    if (o.command == "state") return state(o, api, out);
    if (o.command == "persistence") return persistence(o, api, out);
    throw CliError(kExitUsage, "unknown command '" + o.command + "'");
}

}  // namespace shoal::cli
