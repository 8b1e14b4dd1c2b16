// SidecarApp: the example web app of the sidecar topology (the seed's Python app, in C++ on
// Shoal's client library). It answers
//
//   GET/POST /put?map=&key=&value=   puts value under key (map defaults to "map", as the seed's
//                                    app uses) and answers the previous value ("" if none)
//   GET      /get?map=&key=          the value; 404 with an empty body when there is none
//   GET      /health                 200 {"status":"UP",...} while connected to the member,
//                                    else 503 {"status":"DOWN","error":...}
//
// Bodies are text, as the seed's app answers; with `Accept: application/json` (or
// `format=json` in the query) /put and /get answer {"map","key","value","previous"} instead.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "client/client.h"

namespace shoal::sidecar {

struct HttpAnswer {
    int status = 200;
    std::string content_type = "text/plain; charset=utf-8";
    std::string body;
};

class SidecarApp {
public:
    // The client connects (and reconnects) in the background: the app serves /health at once.
    explicit SidecarApp(client::ClientConfig config);

    // Handles one request; `respond` runs exactly once, possibly on a client IO thread.
    void handle(const std::string& method, const std::string& target, bool wants_json,
                std::function<void(HttpAnswer)> respond);

    client::Client& client() { return *client_; }

private:
    std::string address_;
    std::unique_ptr<client::Client> client_;
};

}  // namespace shoal::sidecar
