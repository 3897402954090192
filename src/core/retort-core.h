/* retort-core.h — everything the app and the CLI use from the core */
#pragma once

#include "retort-backend.h"
#include "retort-connection.h"
#include "retort-database-url.h"
#include "retort-format.h"
#include "retort-ini.h"
#include "retort-offline.h"
#include "retort-plan.h"
#include "retort-revision.h"
#include "retort-revision-map.h"
#include "retort-run.h"
#include "retort-run-step.h"
#include "retort-script-dir.h"
#include "retort-sql-splitter.h"
#include "retort-status.h"
#include "retort-text.h"
#include "retort-version-table.h"
