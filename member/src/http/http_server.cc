#include "http/http_server.h"

#include "http/http_session.h"
#include "http/router.h"

namespace shoal::http {

struct HttpServer::Shared {
    explicit Shared(const HttpDependencies& deps)
        : counters(std::make_shared<HttpCounters>()),
          router(std::make_shared<const Router>(RouterContext{deps.config, deps.maps, deps.cluster, *counters, deps.persistence})),
          handler(std::make_shared<const RequestHandler>(
              [router = router](const Request& request, Respond respond) { router->handle(request, std::move(respond)); })),
          limits(deps.config.http) {}

    std::shared_ptr<HttpCounters> counters;
    std::shared_ptr<const Router> router;
    std::shared_ptr<const RequestHandler> handler;
    config::HttpConfig limits;
};

HttpServer::HttpServer(HttpDependencies deps) : shared_(std::make_shared<Shared>(deps)) {}

HttpServer::~HttpServer() = default;

void HttpServer::serve(boost::asio::ip::tcp::socket socket, std::string already_read) {
    start_http_session(std::move(socket), std::move(already_read), shared_->handler, shared_->limits, shared_->counters);
}

long HttpServer::open_connections() const { return shared_->counters->open_connections.load(); }

}  // namespace shoal::http
