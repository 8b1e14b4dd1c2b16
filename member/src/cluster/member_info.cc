#include "cluster/member_info.h"

namespace shoal::cluster {

std::string format_members_block(const ClusterView& view) {
    std::string out = "\n\nMembers {size:" + std::to_string(view.members.size()) +
                      ", ver:" + std::to_string(view.version) + "} [\n";
    for (const MemberInfo& m : view.members) {
        out += "\tMember " + m.host + ":" + std::to_string(m.port) + " - " + m.uuid.to_string();
        if (m.local) out += " this";
        out += "\n";
    }
    out += "]\n";
    return out;
}

}  // namespace shoal::cluster
