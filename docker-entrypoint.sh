#!/bin/sh
###############################################################################
# tsflink's container entry point, after Apache Flink's docker-entrypoint.sh
# (apache/flink-docker): the same modes, environment variables and messages.
#
#   docker-entrypoint.sh jobmanager [args]        session JobManager
#   docker-entrypoint.sh standalone-job [args]    application JobManager (--job-classname X ...)
#   docker-entrypoint.sh taskmanager [args]       TaskManager
#   docker-entrypoint.sh help                     usage
#   docker-entrypoint.sh <command> [args]         runs the command (e.g. bin/flink list)
#
# Environment, as in Flink's image:
#   FLINK_PROPERTIES          'key: value' lines set in the config file before the start
#   JOB_MANAGER_RPC_ADDRESS   sets jobmanager.rpc.address (only when given: see below)
#   TASK_MANAGER_NUMBER_OF_TASK_SLOTS  sets taskmanager.numberOfTaskSlots
#   ENABLE_BUILT_IN_PLUGINS   accepted and ignored: tsflink has no plugins
#   FLINK_HOME, FLINK_CONF_DIR  the distribution and its conf dir (default $FLINK_HOME/conf)
#
# Each process runs in the foreground (`<script>.sh start-foreground`) and logs to the console;
# the script execs it, so the container's stop signal (SIGTERM) reaches it and, through it, the
# JobManager or TaskManager, which then stops gracefully.
#
# POSIX sh, so it runs under dash and bash alike, in a container or straight from a checkout.
###############################################################################

COMMAND_STANDALONE="standalone-job"

FLINK_HOME="${FLINK_HOME:-$(cd "$(dirname "$0")" && pwd)}"
export FLINK_HOME
FLINK_CONF_DIR="${FLINK_CONF_DIR:-$FLINK_HOME/conf}"
export FLINK_CONF_DIR
# A uid without a passwd entry (Kubernetes' runAsUser, OpenShift's random uids) may come without
# HOME. tsflink's own scripts cope (src/core/ensure-home.ts); the commands passed through may not.
if [ -z "$HOME" ]; then
    HOME="$FLINK_HOME"
    export HOME
fi

usage() {
    printf 'Usage: %s (jobmanager|%s|taskmanager|help)\n' "$(basename "$0")" "$COMMAND_STANDALONE"
    printf '    Or %s <command> [args...] to run a command, such as bin/flink list\n\n' "$(basename "$0")"
    printf 'FLINK_PROPERTIES holds "key: value" lines set in the configuration before the process starts.\n'
}

# Flink's image links the jars named here from opt/ into plugins/; tsflink has neither, so the
# variable is accepted (an unchanged deployment keeps working) and said once to do nothing.
copy_plugins_if_required() {
    if [ -n "$ENABLE_BUILT_IN_PLUGINS" ]; then
        echo "ENABLE_BUILT_IN_PLUGINS is ignored: tsflink has no plugins (asked for: $ENABLE_BUILT_IN_PLUGINS)." >&2
    fi
}

# A Kubernetes ConfigMap is mounted read-only, and Flink's image then fails to write its settings
# into it. Here the conf dir is copied to a private writable one first, and everything that runs
# afterwards reads the copy through FLINK_CONF_DIR.
use_writable_conf_dir() {
    probe="$FLINK_CONF_DIR/.tsflink-write-probe.$$"
    if (: > "$probe") 2>/dev/null; then
        rm -f "$probe"
        return 0
    fi
    copy="$(mktemp -d "${TMPDIR:-/tmp}/tsflink-conf.XXXXXX")" || exit 1
    for entry in "$FLINK_CONF_DIR"/*; do
        [ -e "$entry" ] && cp -RL "$entry" "$copy/"
    done
    echo "The configuration directory $FLINK_CONF_DIR is read-only: using a copy in $copy."
    FLINK_CONF_DIR="$copy"
    export FLINK_CONF_DIR
}

# Sets the options of the environment variables in the config file, replacing any earlier value
# (the file is YAML, where a key set twice is an error, so lines are not simply appended), with
# bin/config-parser-utils.sh as Flink's image does.
#
# Unlike Flink's image, jobmanager.rpc.address is set only when JOB_MANAGER_RPC_ADDRESS is given:
# Flink falls back to `hostname -f`, which is wrong for a TaskManager and which, on Kubernetes,
# only its failure to write the read-only ConfigMap keeps out of the config.
prepare_configuration() {
    set --
    if [ -n "$JOB_MANAGER_RPC_ADDRESS" ]; then
        set -- "$@" "-Djobmanager.rpc.address=$JOB_MANAGER_RPC_ADDRESS"
    fi
    if [ -n "$TASK_MANAGER_NUMBER_OF_TASK_SLOTS" ]; then
        set -- "$@" "-Dtaskmanager.numberOfTaskSlots=$TASK_MANAGER_NUMBER_OF_TASK_SLOTS"
    fi
    # One 'key: value' per line, split at the first colon; blank lines and '#' comments are skipped.
    # Values keep their inner spaces ('heartbeat.timeout: 5 s'), and $VARS in them are replaced
    # by envsubst, as in Flink's image.
    while IFS= read -r line; do
        trimmed="$(printf '%s' "$line" | sed -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//')"
        case "$trimmed" in
            '' | '#'*) continue ;;
            *:*) ;;
            *)
                echo "FLINK_PROPERTIES line '$trimmed' is not a 'key: value' pair." >&2
                exit 1
                ;;
        esac
        key="$(printf '%s' "${trimmed%%:*}" | sed -e 's/[[:space:]]*$//')"
        value="$(printf '%s' "${trimmed#*:}" | sed -e 's/^[[:space:]]*//')"
        if [ -z "$key" ]; then
            echo "FLINK_PROPERTIES line '$trimmed' has no key." >&2
            exit 1
        fi
        case "$value" in
            *'$'*)
                if command -v envsubst > /dev/null 2>&1; then
                    value="$(printf '%s' "$value" | envsubst)"
                else
                    echo "envsubst is not installed: \$ in the value of $key is kept as written." >&2
                fi
                ;;
        esac
        set -- "$@" "-D$key=$value"
    done <<EOF
$FLINK_PROPERTIES
EOF
    if [ $# -gt 0 ]; then
        use_writable_conf_dir
        "$FLINK_HOME/bin/config-parser-utils.sh" "$FLINK_CONF_DIR" "$FLINK_HOME/bin" "$FLINK_HOME/lib" "$@" || exit 1
    fi
}

if [ "$1" = "help" ]; then
    usage
    exit 0
fi

copy_plugins_if_required
prepare_configuration

case "$1" in
    jobmanager)
        shift
        echo "Starting Job Manager"
        exec "$FLINK_HOME/bin/jobmanager.sh" start-foreground "$@"
        ;;
    "$COMMAND_STANDALONE")
        shift
        echo "Starting Job Manager"
        exec "$FLINK_HOME/bin/standalone-job.sh" start-foreground "$@"
        ;;
    taskmanager)
        shift
        echo "Starting Task Manager"
        exec "$FLINK_HOME/bin/taskmanager.sh" start-foreground "$@"
        ;;
    history-server | sql-gateway)
        echo "tsflink has no $1: the modes are jobmanager, $COMMAND_STANDALONE and taskmanager." >&2
        exit 1
        ;;
    '')
        usage
        exit 1
        ;;
esac

# Running command in pass-through mode
exec "$@"
