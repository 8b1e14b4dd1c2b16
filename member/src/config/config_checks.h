// ConfigChecks: rules that span keys (one Kubernetes selector, one join method, backups within
// six), run once every source is applied. Errors point at where the offending key was set.
#pragma once

#include "config/config_state.h"

namespace shoal::config {

// Throws ConfigError for a contradiction; adds warnings for settings that work but surprise.
void check_consistency(ConfigState& state);

}  // namespace shoal::config
