#include "protocol/client_protocol_server.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include "cluster/cluster_service.h"
#include "net/io_threads.h"

namespace shoal::protocol {
namespace {
namespace asio = boost::asio;
constexpr std::chrono::milliseconds kViewCheckPeriod{1000};
}  // namespace

struct ClientProtocolServer::State : std::enable_shared_from_this<State> {
    State(ProtocolDependencies deps, net::IoThreads& io_threads, SessionLimits session_limits)
        : service(std::make_shared<ProtocolService>(std::move(deps))),
          io(io_threads),
          limits(session_limits),
          counters(std::make_shared<SessionCounters>()),
          timer(io_threads.context(0)) {}

    std::shared_ptr<ProtocolService> service;
    net::IoThreads& io;
    SessionLimits limits;
    std::shared_ptr<SessionCounters> counters;
    asio::steady_timer timer;  // on IO context 0
    std::atomic<bool> stopped{false};
    std::atomic<bool> refresh_posted{false};

    // From ClusterService's lock: only post, coalescing bursts of changes into one refresh.
    void on_view_change() {
        if (stopped.load() || refresh_posted.exchange(true)) return;
        asio::post(io.context(0), [self = shared_from_this()] {
            self->refresh_posted = false;
            if (self->stopped) return;
            self->service->on_members_changed();
            self->service->refresh_views();
        });
    }

    void tick() {
        timer.expires_after(kViewCheckPeriod);
        timer.async_wait([self = shared_from_this()](boost::system::error_code ec) {
            if (ec || self->stopped) return;
            self->service->on_members_changed();
            self->service->refresh_views();
            self->tick();
        });
    }
};

ClientProtocolServer::ClientProtocolServer(ProtocolDependencies deps, net::IoThreads& io, SessionLimits limits)
    : state_(std::make_shared<State>(std::move(deps), io, limits)) {}

ClientProtocolServer::~ClientProtocolServer() { stop(); }

void ClientProtocolServer::start() {
    std::weak_ptr<State> weak = state_;
    state_->service->cluster().add_view_listener([weak] {
        if (auto state = weak.lock()) state->on_view_change();
    });
    asio::post(state_->io.context(0), [state = state_] { state->tick(); });
}

void ClientProtocolServer::stop() {
    if (state_->stopped.exchange(true)) return;
    asio::post(state_->io.context(0), [state = state_] { state->timer.cancel(); });
}

void ClientProtocolServer::serve(boost::asio::ip::tcp::socket socket) {
    start_client_session(std::move(socket), state_->service, state_->limits, state_->counters);
}

long ClientProtocolServer::open_connections() const { return state_->counters->open.load(); }

ProtocolService& ClientProtocolServer::service() { return *state_->service; }

}  // namespace shoal::protocol
