/* retort-core.h — everything the app and the CLI use from the core */
#pragma once

#include "retort-format.h"
#include "retort-ini.h"
#include "retort-plan.h"
#include "retort-revision.h"
#include "retort-revision-map.h"
#include "retort-script-dir.h"
#include "retort-text.h"
