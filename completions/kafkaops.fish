# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_kafkaops_global_optspecs
    string join \n b/brokers= X= F/config-file= profile= timeout= o/output= color= wide h/help V/version
end

function __fish_kafkaops_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_kafkaops_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_kafkaops_using_subcommand
    set -l cmd (__fish_kafkaops_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c kafkaops -n "__fish_kafkaops_needs_command" -s b -l brokers -d 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)' -r
complete -c kafkaops -n "__fish_kafkaops_needs_command" -s X -d 'librdkafka property, repeatable, as kcat\'s -X (e.g. -X security.protocol=SASL_SSL)' -r
complete -c kafkaops -n "__fish_kafkaops_needs_command" -s F -l config-file -d 'librdkafka properties file (key=value lines)' -r -F
complete -c kafkaops -n "__fish_kafkaops_needs_command" -l profile -d 'Named profile from the config file (env: KAFKAOPS_PROFILE)' -r
complete -c kafkaops -n "__fish_kafkaops_needs_command" -l timeout -d 'Timeout for each broker call' -r
complete -c kafkaops -n "__fish_kafkaops_needs_command" -s o -l output -d 'Output format: tables for people, JSON as a stable contract' -r -f -a "table\t''
json\t''
jsonl\t''
prometheus\t''"
complete -c kafkaops -n "__fish_kafkaops_needs_command" -l color -d 'When to use colour (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c kafkaops -n "__fish_kafkaops_needs_command" -l wide -d 'Show every table column in full instead of fitting tables to the terminal (COLUMNS)'
complete -c kafkaops -n "__fish_kafkaops_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kafkaops -n "__fish_kafkaops_needs_command" -s V -l version -d 'Print version'
complete -c kafkaops -n "__fish_kafkaops_needs_command" -f -a "dlq" -d 'Triage a dead-letter topic: categories, ages, decisions; inspect and export records'
complete -c kafkaops -n "__fish_kafkaops_needs_command" -f -a "replay" -d 'Re-publish a bounded slice of a topic: plan, run, resume, status'
complete -c kafkaops -n "__fish_kafkaops_needs_command" -f -a "lag" -d 'Lag and event age per consumer group and partition, with thresholds for CI'
complete -c kafkaops -n "__fish_kafkaops_needs_command" -f -a "serve" -d 'Prometheus exporter: lag with trend status, event age and DLQ categories, on /metrics'
complete -c kafkaops -n "__fish_kafkaops_needs_command" -f -a "audit" -d 'Verify the replay audit log\'s hash chain (exit 1 if a line was edited, reordered or deleted)'
complete -c kafkaops -n "__fish_kafkaops_needs_command" -f -a "drill" -d 'Replay drill for scheduled CI: replay a window into a scratch topic and prove parity'
complete -c kafkaops -n "__fish_kafkaops_needs_command" -f -a "demo" -d 'A guided tour on the embedded sandbox: triage, lag, a planned and audited redrive'
complete -c kafkaops -n "__fish_kafkaops_needs_command" -f -a "sandbox" -d 'Start an embedded, seeded Kafka-protocol broker to try kafkaops on (no Kafka needed)'
complete -c kafkaops -n "__fish_kafkaops_needs_command" -f -a "topic" -d 'Partitions, leaders, watermarks and offsets-for-times of one topic'
complete -c kafkaops -n "__fish_kafkaops_needs_command" -f -a "config" -d 'Show or check the effective connection settings'
complete -c kafkaops -n "__fish_kafkaops_needs_command" -f -a "generate" -d 'Write shell completions and man pages (used to refresh completions/ and man/)'
complete -c kafkaops -n "__fish_kafkaops_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and not __fish_seen_subcommand_from triage inspect export mark help" -s b -l brokers -d 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and not __fish_seen_subcommand_from triage inspect export mark help" -s X -d 'librdkafka property, repeatable, as kcat\'s -X (e.g. -X security.protocol=SASL_SSL)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and not __fish_seen_subcommand_from triage inspect export mark help" -s F -l config-file -d 'librdkafka properties file (key=value lines)' -r -F
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and not __fish_seen_subcommand_from triage inspect export mark help" -l profile -d 'Named profile from the config file (env: KAFKAOPS_PROFILE)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and not __fish_seen_subcommand_from triage inspect export mark help" -l timeout -d 'Timeout for each broker call' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and not __fish_seen_subcommand_from triage inspect export mark help" -s o -l output -d 'Output format: tables for people, JSON as a stable contract' -r -f -a "table\t''
json\t''
jsonl\t''
prometheus\t''"
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and not __fish_seen_subcommand_from triage inspect export mark help" -l color -d 'When to use colour (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and not __fish_seen_subcommand_from triage inspect export mark help" -l wide -d 'Show every table column in full instead of fitting tables to the terminal (COLUMNS)'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and not __fish_seen_subcommand_from triage inspect export mark help" -s h -l help -d 'Print help'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and not __fish_seen_subcommand_from triage inspect export mark help" -s V -l version -d 'Print version'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and not __fish_seen_subcommand_from triage inspect export mark help" -f -a "triage" -d 'What is in a dead-letter topic: categories, counts, ages, origins, decisions'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and not __fish_seen_subcommand_from triage inspect export mark help" -f -a "inspect" -d 'Show records with headers decoded to typed values and payloads pretty-printed'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and not __fish_seen_subcommand_from triage inspect export mark help" -f -a "export" -d 'Write records as byte-exact JSON Lines, to fix by hand and replay from the file'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and not __fish_seen_subcommand_from triage inspect export mark help" -f -a "mark" -d 'Record categories as handled or discarded, so triage and its SLA count only open records'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and not __fish_seen_subcommand_from triage inspect export mark help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and __fish_seen_subcommand_from triage" -l topic -d 'The dead-letter topic' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and __fish_seen_subcommand_from triage" -l from -d 'Only records dead-lettered at or after this time (RFC 3339, date, epoch ms, -2h)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and __fish_seen_subcommand_from triage" -l until -d 'Only records dead-lettered before this time' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and __fish_seen_subcommand_from triage" -l partitions -d 'Only these partitions of the dead-letter topic, e.g. 0,3-5' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and __fish_seen_subcommand_from triage" -l max-records -d 'Read at most this many records, spread over the partitions' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and __fish_seen_subcommand_from triage" -l rules -d 'Rules file (TOML, or JSON with a .json extension) mapping categories to actions and owners' -r -F
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and __fish_seen_subcommand_from triage" -l sla -d 'Triage SLA: mark categories whose oldest record is older than this (e.g. 24h)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and __fish_seen_subcommand_from triage" -l fail-on -d 'Exit 1 after printing the report when the condition holds (for scheduled alerting)' -r -f -a "sla\t'Exit 1 when a category\'s oldest record is older than --sla'
unreviewed\t'Exit 1 when a category has no decision in --rules'"
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and __fish_seen_subcommand_from triage" -l max-categories -d 'Keep at most this many categories; records of further categories are counted in an overflow row' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and __fish_seen_subcommand_from triage" -s j -l threads -d 'Read with this many consumers in parallel, each over its own partitions [default: one per core, up to 4, for scans of 100,000 records or more]' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and __fish_seen_subcommand_from triage" -l audit-log -d 'Audit log holding the handled marks [default: the profile\'s audit_log, else the state dir]' -r -F
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and __fish_seen_subcommand_from triage" -l out -d 'Write the report to FILE (atomically, only when complete: a failed run keeps the old file)' -r -F
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and __fish_seen_subcommand_from triage" -l group-by -d 'Dimensions that define a category: exception, cause, reason, original-topic, group, stage, convention, key, partition' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and __fish_seen_subcommand_from triage" -l reason-header -d 'Header that holds the failure reason (wins over the conventions)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and __fish_seen_subcommand_from triage" -l reason-json-pointer -d 'JSON pointer to the reason inside a JSON value, e.g. /error/message' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and __fish_seen_subcommand_from triage" -l original-topic-header -d 'Header that holds the original topic' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and __fish_seen_subcommand_from triage" -l original-topic-json-pointer -d 'JSON pointer to the original topic inside a JSON value' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and __fish_seen_subcommand_from triage" -s b -l brokers -d 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and __fish_seen_subcommand_from triage" -s X -d 'librdkafka property, repeatable, as kcat\'s -X (e.g. -X security.protocol=SASL_SSL)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and __fish_seen_subcommand_from triage" -s F -l config-file -d 'librdkafka properties file (key=value lines)' -r -F
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and __fish_seen_subcommand_from triage" -l profile -d 'Named profile from the config file (env: KAFKAOPS_PROFILE)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and __fish_seen_subcommand_from triage" -l timeout -d 'Timeout for each broker call' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and __fish_seen_subcommand_from triage" -s o -l output -d 'Output format: tables for people, JSON as a stable contract' -r -f -a "table\t''
json\t''
jsonl\t''
prometheus\t''"
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and __fish_seen_subcommand_from triage" -l color -d 'When to use colour (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and __fish_seen_subcommand_from triage" -l wide -d 'Show every table column in full instead of fitting tables to the terminal (COLUMNS)'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and __fish_seen_subcommand_from triage" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and __fish_seen_subcommand_from triage" -s V -l version -d 'Print version'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and __fish_seen_subcommand_from inspect" -l topic -d 'The dead-letter topic' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and __fish_seen_subcommand_from inspect" -l from -d 'Only records dead-lettered at or after this time (RFC 3339, date, epoch ms, -2h)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and __fish_seen_subcommand_from inspect" -l until -d 'Only records dead-lettered before this time' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and __fish_seen_subcommand_from inspect" -l partitions -d 'Only these partitions of the dead-letter topic, e.g. 0,3-5' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and __fish_seen_subcommand_from inspect" -l max-records -d 'Read at most this many records, spread over the partitions' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and __fish_seen_subcommand_from inspect" -l offset -d 'A record\'s coordinates PARTITION:OFFSET (repeatable)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and __fish_seen_subcommand_from inspect" -l category -d 'A category ID from `dlq triage`' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and __fish_seen_subcommand_from inspect" -l key -d 'Records with exactly this key (text, or base64:... for binary keys)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and __fish_seen_subcommand_from inspect" -l limit -d 'Show at most this many records' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and __fish_seen_subcommand_from inspect" -l group-by -d 'Dimensions that define a category: exception, cause, reason, original-topic, group, stage, convention, key, partition' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and __fish_seen_subcommand_from inspect" -l reason-header -d 'Header that holds the failure reason (wins over the conventions)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and __fish_seen_subcommand_from inspect" -l reason-json-pointer -d 'JSON pointer to the reason inside a JSON value, e.g. /error/message' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and __fish_seen_subcommand_from inspect" -l original-topic-header -d 'Header that holds the original topic' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and __fish_seen_subcommand_from inspect" -l original-topic-json-pointer -d 'JSON pointer to the original topic inside a JSON value' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and __fish_seen_subcommand_from inspect" -s b -l brokers -d 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and __fish_seen_subcommand_from inspect" -s X -d 'librdkafka property, repeatable, as kcat\'s -X (e.g. -X security.protocol=SASL_SSL)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and __fish_seen_subcommand_from inspect" -s F -l config-file -d 'librdkafka properties file (key=value lines)' -r -F
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and __fish_seen_subcommand_from inspect" -l profile -d 'Named profile from the config file (env: KAFKAOPS_PROFILE)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and __fish_seen_subcommand_from inspect" -l timeout -d 'Timeout for each broker call' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and __fish_seen_subcommand_from inspect" -s o -l output -d 'Output format: tables for people, JSON as a stable contract' -r -f -a "table\t''
json\t''
jsonl\t''
prometheus\t''"
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and __fish_seen_subcommand_from inspect" -l color -d 'When to use colour (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and __fish_seen_subcommand_from inspect" -l wide -d 'Show every table column in full instead of fitting tables to the terminal (COLUMNS)'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and __fish_seen_subcommand_from inspect" -s h -l help -d 'Print help'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and __fish_seen_subcommand_from inspect" -s V -l version -d 'Print version'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and __fish_seen_subcommand_from export" -l topic -d 'The dead-letter topic' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and __fish_seen_subcommand_from export" -l from -d 'Only records dead-lettered at or after this time (RFC 3339, date, epoch ms, -2h)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and __fish_seen_subcommand_from export" -l until -d 'Only records dead-lettered before this time' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and __fish_seen_subcommand_from export" -l partitions -d 'Only these partitions of the dead-letter topic, e.g. 0,3-5' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and __fish_seen_subcommand_from export" -l max-records -d 'Read at most this many records, spread over the partitions' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and __fish_seen_subcommand_from export" -l offset -d 'A record\'s coordinates PARTITION:OFFSET (repeatable)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and __fish_seen_subcommand_from export" -l category -d 'A category ID from `dlq triage`' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and __fish_seen_subcommand_from export" -l key -d 'Records with exactly this key (text, or base64:... for binary keys)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and __fish_seen_subcommand_from export" -l limit -d 'Export at most this many records (default: all that match)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and __fish_seen_subcommand_from export" -l out -d 'Write to this file instead of stdout (it appears only when complete)' -r -F
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and __fish_seen_subcommand_from export" -l group-by -d 'Dimensions that define a category: exception, cause, reason, original-topic, group, stage, convention, key, partition' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and __fish_seen_subcommand_from export" -l reason-header -d 'Header that holds the failure reason (wins over the conventions)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and __fish_seen_subcommand_from export" -l reason-json-pointer -d 'JSON pointer to the reason inside a JSON value, e.g. /error/message' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and __fish_seen_subcommand_from export" -l original-topic-header -d 'Header that holds the original topic' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and __fish_seen_subcommand_from export" -l original-topic-json-pointer -d 'JSON pointer to the original topic inside a JSON value' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and __fish_seen_subcommand_from export" -s b -l brokers -d 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and __fish_seen_subcommand_from export" -s X -d 'librdkafka property, repeatable, as kcat\'s -X (e.g. -X security.protocol=SASL_SSL)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and __fish_seen_subcommand_from export" -s F -l config-file -d 'librdkafka properties file (key=value lines)' -r -F
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and __fish_seen_subcommand_from export" -l profile -d 'Named profile from the config file (env: KAFKAOPS_PROFILE)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and __fish_seen_subcommand_from export" -l timeout -d 'Timeout for each broker call' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and __fish_seen_subcommand_from export" -s o -l output -d 'Output format: tables for people, JSON as a stable contract' -r -f -a "table\t''
json\t''
jsonl\t''
prometheus\t''"
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and __fish_seen_subcommand_from export" -l color -d 'When to use colour (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and __fish_seen_subcommand_from export" -l force -d 'Replace an existing --out file'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and __fish_seen_subcommand_from export" -l wide -d 'Show every table column in full instead of fitting tables to the terminal (COLUMNS)'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and __fish_seen_subcommand_from export" -s h -l help -d 'Print help'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and __fish_seen_subcommand_from export" -s V -l version -d 'Print version'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and __fish_seen_subcommand_from mark" -l topic -d 'The dead-letter topic' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and __fish_seen_subcommand_from mark" -l category -d 'A category ID from `dlq triage` (repeatable)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and __fish_seen_subcommand_from mark" -l owner -d 'Who decided (recorded in the audit log)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and __fish_seen_subcommand_from mark" -l reason -d 'Why (recorded in the audit log)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and __fish_seen_subcommand_from mark" -l ticket -d 'A ticket reference (recorded in the audit log)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and __fish_seen_subcommand_from mark" -l up-to -d 'Mark only up to this offset of a partition, exclusive, as PARTITION:OFFSET (repeatable; only the partitions named are marked) [default: every partition up to its log end now]' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and __fish_seen_subcommand_from mark" -l audit-log -d 'The audit log the mark is appended to [default: the profile\'s audit_log, else the state dir]' -r -F
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and __fish_seen_subcommand_from mark" -l group-by -d 'Dimensions that define a category: exception, cause, reason, original-topic, group, stage, convention, key, partition' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and __fish_seen_subcommand_from mark" -l reason-header -d 'Header that holds the failure reason (wins over the conventions)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and __fish_seen_subcommand_from mark" -l reason-json-pointer -d 'JSON pointer to the reason inside a JSON value, e.g. /error/message' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and __fish_seen_subcommand_from mark" -l original-topic-header -d 'Header that holds the original topic' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and __fish_seen_subcommand_from mark" -l original-topic-json-pointer -d 'JSON pointer to the original topic inside a JSON value' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and __fish_seen_subcommand_from mark" -s b -l brokers -d 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and __fish_seen_subcommand_from mark" -s X -d 'librdkafka property, repeatable, as kcat\'s -X (e.g. -X security.protocol=SASL_SSL)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and __fish_seen_subcommand_from mark" -s F -l config-file -d 'librdkafka properties file (key=value lines)' -r -F
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and __fish_seen_subcommand_from mark" -l profile -d 'Named profile from the config file (env: KAFKAOPS_PROFILE)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and __fish_seen_subcommand_from mark" -l timeout -d 'Timeout for each broker call' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and __fish_seen_subcommand_from mark" -s o -l output -d 'Output format: tables for people, JSON as a stable contract' -r -f -a "table\t''
json\t''
jsonl\t''
prometheus\t''"
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and __fish_seen_subcommand_from mark" -l color -d 'When to use colour (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and __fish_seen_subcommand_from mark" -l handled -d 'The records were dealt with (fixed by hand, re-published another way)'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and __fish_seen_subcommand_from mark" -l discarded -d 'The records are deliberately dropped'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and __fish_seen_subcommand_from mark" -l dry-run -d 'Show what would be marked and stop'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and __fish_seen_subcommand_from mark" -l yes -d 'Do not ask for confirmation (needed without a terminal)'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and __fish_seen_subcommand_from mark" -l wide -d 'Show every table column in full instead of fitting tables to the terminal (COLUMNS)'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and __fish_seen_subcommand_from mark" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and __fish_seen_subcommand_from mark" -s V -l version -d 'Print version'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and __fish_seen_subcommand_from help" -f -a "triage" -d 'What is in a dead-letter topic: categories, counts, ages, origins, decisions'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and __fish_seen_subcommand_from help" -f -a "inspect" -d 'Show records with headers decoded to typed values and payloads pretty-printed'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and __fish_seen_subcommand_from help" -f -a "export" -d 'Write records as byte-exact JSON Lines, to fix by hand and replay from the file'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and __fish_seen_subcommand_from help" -f -a "mark" -d 'Record categories as handled or discarded, so triage and its SLA count only open records'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand dlq; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and not __fish_seen_subcommand_from plan run resume status audit rewind undo help" -s b -l brokers -d 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and not __fish_seen_subcommand_from plan run resume status audit rewind undo help" -s X -d 'librdkafka property, repeatable, as kcat\'s -X (e.g. -X security.protocol=SASL_SSL)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and not __fish_seen_subcommand_from plan run resume status audit rewind undo help" -s F -l config-file -d 'librdkafka properties file (key=value lines)' -r -F
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and not __fish_seen_subcommand_from plan run resume status audit rewind undo help" -l profile -d 'Named profile from the config file (env: KAFKAOPS_PROFILE)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and not __fish_seen_subcommand_from plan run resume status audit rewind undo help" -l timeout -d 'Timeout for each broker call' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and not __fish_seen_subcommand_from plan run resume status audit rewind undo help" -s o -l output -d 'Output format: tables for people, JSON as a stable contract' -r -f -a "table\t''
json\t''
jsonl\t''
prometheus\t''"
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and not __fish_seen_subcommand_from plan run resume status audit rewind undo help" -l color -d 'When to use colour (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and not __fish_seen_subcommand_from plan run resume status audit rewind undo help" -l wide -d 'Show every table column in full instead of fitting tables to the terminal (COLUMNS)'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and not __fish_seen_subcommand_from plan run resume status audit rewind undo help" -s h -l help -d 'Print help'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and not __fish_seen_subcommand_from plan run resume status audit rewind undo help" -s V -l version -d 'Print version'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and not __fish_seen_subcommand_from plan run resume status audit rewind undo help" -f -a "plan" -d 'Resolve a selection into an exact plan (offsets, counts, bytes, blast radius); produces nothing'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and not __fish_seen_subcommand_from plan run resume status audit rewind undo help" -f -a "run" -d 'Execute a selection or a saved plan: confirmed, rate-limited, audited, checkpointed'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and not __fish_seen_subcommand_from plan run resume status audit rewind undo help" -f -a "resume" -d 'Continue an interrupted or failed replay without sending any record twice'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and not __fish_seen_subcommand_from plan run resume status audit rewind undo help" -f -a "status" -d 'List replays with their state, counts and rates'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and not __fish_seen_subcommand_from plan run resume status audit rewind undo help" -f -a "audit" -d 'The audit log (same as `kafkaops audit`)'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and not __fish_seen_subcommand_from plan run resume status audit rewind undo help" -f -a "rewind" -d 'Make one consumer group reprocess by moving its committed offsets: planned, guarded, confirmed, audited, undoable'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and not __fish_seen_subcommand_from plan run resume status audit rewind undo help" -f -a "undo" -d 'Put a rewound group\'s offsets back exactly where they were before the rewind'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and not __fish_seen_subcommand_from plan run resume status audit rewind undo help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from plan" -l topic -d 'Source topic to read from' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from plan" -l from-file -d 'Replay the records of a JSON Lines file written by `dlq export` (possibly edited)' -r -F
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from plan" -l from -d 'Start of the time window (RFC 3339, epoch ms, `now`, or relative such as -2h)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from plan" -l until -d 'End of the time window, excluded' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from plan" -l partitions -d 'Only these source partitions, e.g. 0,3-5' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from plan" -l offsets -d 'Offsets per partition, both ends included, e.g. 3:1200-1500 (repeatable)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from plan" -l key -d 'Only records with this key (repeatable; hex:... or base64:... for binary keys)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from plan" -l keys-file -d 'Only records whose key is listed in this file, one key per line' -r -F
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from plan" -l key-prefix -d 'Only records whose key starts with these bytes' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from plan" -l key-range -d 'Only records whose key is in START..END, compared byte-wise (END excluded)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from plan" -l partitioner -d 'Partition by key with the producer\'s partitioner: reads only the partitions of exact keys, and places keyed records in the destination accordingly' -r -f -a "murmur2\t'Java client default: toPositive(murmur2(key)) % partitions'
crc32\t'librdkafka `consistent`: crc32(key) % partitions'"
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from plan" -l placement -d 'Where records go whose original partition the destination lacks (without it, such a replay is refused): keep, key or fold' -r -f -a "keep\t'Keep the partition where it exists; place the others by key (--partitioner, murmur2 by default)'
key\t'Place every keyed record by key with --partitioner (murmur2 by default)'
fold\t'Move each missing partition whole to partition ORIGINAL mod PARTITIONS, in order'"
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from plan" -l dlq-category -d 'Only DLQ records in this category (an id shown by `dlq triage`)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from plan" -l group-by -d 'Dimensions the category id was computed with, as `dlq triage --group-by` [default: exception,reason]' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from plan" -l reason-header -d 'Header that holds the failure reason (wins over the conventions)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from plan" -l reason-json-pointer -d 'JSON pointer to the reason inside a JSON value, e.g. /error/message' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from plan" -l original-topic-header -d 'Header that holds the original topic' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from plan" -l original-topic-json-pointer -d 'JSON pointer to the original topic inside a JSON value' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from plan" -l to -d 'Destination topic (required unless --redrive)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from plan" -l max-redrives -d 'Hold back records already redriven N times (read from their kafkaops.replay.redrives header) and report them instead; 1 to 100, always on' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from plan" -l rate -d 'Records per second (e.g. 500/s, 3000/m) or `unlimited`; no burst above one second\'s worth [default: 1000/s]' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from plan" -l bytes-rate -d 'Also limit bytes per second (e.g. 2MiB/s)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from plan" -l out -d 'Also write the plan JSON to this file (for `replay run --plan FILE`)' -r -F
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from plan" -s b -l brokers -d 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from plan" -s X -d 'librdkafka property, repeatable, as kcat\'s -X (e.g. -X security.protocol=SASL_SSL)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from plan" -s F -l config-file -d 'librdkafka properties file (key=value lines)' -r -F
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from plan" -l profile -d 'Named profile from the config file (env: KAFKAOPS_PROFILE)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from plan" -l timeout -d 'Timeout for each broker call' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from plan" -s o -l output -d 'Output format: tables for people, JSON as a stable contract' -r -f -a "table\t''
json\t''
jsonl\t''
prometheus\t''"
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from plan" -l color -d 'When to use colour (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from plan" -l redrive -d 'Send each DLQ record back to its original topic/partition, from its DLQ headers'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from plan" -l keep-dlq-headers -d 'Keep the DLQ error headers when redriving (they are stripped by default)'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from plan" -l into-source -d 'Allow the destination to be the source topic itself'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from plan" -l new-timestamps -d 'Let the broker stamp replayed records with the current time instead of keeping the original timestamps'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from plan" -l wide -d 'Show every table column in full instead of fitting tables to the terminal (COLUMNS)'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from plan" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from plan" -s V -l version -d 'Print version'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from run" -l topic -d 'Source topic to read from' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from run" -l from-file -d 'Replay the records of a JSON Lines file written by `dlq export` (possibly edited)' -r -F
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from run" -l from -d 'Start of the time window (RFC 3339, epoch ms, `now`, or relative such as -2h)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from run" -l until -d 'End of the time window, excluded' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from run" -l partitions -d 'Only these source partitions, e.g. 0,3-5' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from run" -l offsets -d 'Offsets per partition, both ends included, e.g. 3:1200-1500 (repeatable)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from run" -l key -d 'Only records with this key (repeatable; hex:... or base64:... for binary keys)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from run" -l keys-file -d 'Only records whose key is listed in this file, one key per line' -r -F
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from run" -l key-prefix -d 'Only records whose key starts with these bytes' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from run" -l key-range -d 'Only records whose key is in START..END, compared byte-wise (END excluded)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from run" -l partitioner -d 'Partition by key with the producer\'s partitioner: reads only the partitions of exact keys, and places keyed records in the destination accordingly' -r -f -a "murmur2\t'Java client default: toPositive(murmur2(key)) % partitions'
crc32\t'librdkafka `consistent`: crc32(key) % partitions'"
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from run" -l placement -d 'Where records go whose original partition the destination lacks (without it, such a replay is refused): keep, key or fold' -r -f -a "keep\t'Keep the partition where it exists; place the others by key (--partitioner, murmur2 by default)'
key\t'Place every keyed record by key with --partitioner (murmur2 by default)'
fold\t'Move each missing partition whole to partition ORIGINAL mod PARTITIONS, in order'"
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from run" -l dlq-category -d 'Only DLQ records in this category (an id shown by `dlq triage`)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from run" -l group-by -d 'Dimensions the category id was computed with, as `dlq triage --group-by` [default: exception,reason]' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from run" -l reason-header -d 'Header that holds the failure reason (wins over the conventions)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from run" -l reason-json-pointer -d 'JSON pointer to the reason inside a JSON value, e.g. /error/message' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from run" -l original-topic-header -d 'Header that holds the original topic' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from run" -l original-topic-json-pointer -d 'JSON pointer to the original topic inside a JSON value' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from run" -l to -d 'Destination topic (required unless --redrive)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from run" -l max-redrives -d 'Hold back records already redriven N times (read from their kafkaops.replay.redrives header) and report them instead; 1 to 100, always on' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from run" -l plan -d 'Execute a plan file written by `replay plan` instead of a selection' -r -F
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from run" -l rate -d 'Records per second (e.g. 500/s, 3000/m) or `unlimited`; no burst above one second\'s worth [default: 1000/s]' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from run" -l bytes-rate -d 'Also limit bytes per second (e.g. 2MiB/s)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from run" -l owner -d 'Who is responsible for this replay (recorded in the audit log and on every record)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from run" -l reason -d 'Why the replay is done (recorded in the audit log)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from run" -l ticket -d 'Ticket or incident reference' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from run" -l max-records -d 'Refuse plans with more records than this' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from run" -l audit-log -d 'Audit log file [default: the profile\'s audit_log, else $XDG_STATE_HOME/kafkaops/audit.jsonl]' -r -F
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from run" -l audit-topic -d 'Also publish audit events to this Kafka topic' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from run" -s b -l brokers -d 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from run" -s X -d 'librdkafka property, repeatable, as kcat\'s -X (e.g. -X security.protocol=SASL_SSL)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from run" -s F -l config-file -d 'librdkafka properties file (key=value lines)' -r -F
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from run" -l profile -d 'Named profile from the config file (env: KAFKAOPS_PROFILE)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from run" -l timeout -d 'Timeout for each broker call' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from run" -s o -l output -d 'Output format: tables for people, JSON as a stable contract' -r -f -a "table\t''
json\t''
jsonl\t''
prometheus\t''"
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from run" -l color -d 'When to use colour (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from run" -l redrive -d 'Send each DLQ record back to its original topic/partition, from its DLQ headers'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from run" -l keep-dlq-headers -d 'Keep the DLQ error headers when redriving (they are stripped by default)'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from run" -l into-source -d 'Allow the destination to be the source topic itself'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from run" -l new-timestamps -d 'Let the broker stamp replayed records with the current time instead of keeping the original timestamps'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from run" -s y -l yes -d 'Do not ask for confirmation (required without a terminal)'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from run" -l dry-run -d 'Resolve and show the plan, produce nothing'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from run" -l allow-duplicate -d 'Send records again although an earlier replay already sent them (found in the replay states or in the destination\'s provenance headers); recorded in the audit log'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from run" -l skip-oversized -d 'Replay the other records when some are larger than the destination accepts (the producer\'s message.max.bytes, the topic\'s max.message.bytes); counted as skipped'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from run" -l wide -d 'Show every table column in full instead of fitting tables to the terminal (COLUMNS)'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from run" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from run" -s V -l version -d 'Print version'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from resume" -l rate -d 'Records per second (e.g. 500/s, 3000/m) or `unlimited`; no burst above one second\'s worth [default: 1000/s]' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from resume" -l bytes-rate -d 'Also limit bytes per second (e.g. 2MiB/s)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from resume" -l owner -d 'Who resumes it [default: the replay\'s owner]' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from resume" -s b -l brokers -d 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from resume" -s X -d 'librdkafka property, repeatable, as kcat\'s -X (e.g. -X security.protocol=SASL_SSL)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from resume" -s F -l config-file -d 'librdkafka properties file (key=value lines)' -r -F
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from resume" -l profile -d 'Named profile from the config file (env: KAFKAOPS_PROFILE)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from resume" -l timeout -d 'Timeout for each broker call' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from resume" -s o -l output -d 'Output format: tables for people, JSON as a stable contract' -r -f -a "table\t''
json\t''
jsonl\t''
prometheus\t''"
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from resume" -l color -d 'When to use colour (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from resume" -l skip-oversized -d 'From now on, skip records larger than the destination accepts (counted as skipped)'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from resume" -s y -l yes -d 'Do not ask for confirmation (required without a terminal)'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from resume" -l wide -d 'Show every table column in full instead of fitting tables to the terminal (COLUMNS)'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from resume" -s h -l help -d 'Print help'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from resume" -s V -l version -d 'Print version'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from status" -s b -l brokers -d 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from status" -s X -d 'librdkafka property, repeatable, as kcat\'s -X (e.g. -X security.protocol=SASL_SSL)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from status" -s F -l config-file -d 'librdkafka properties file (key=value lines)' -r -F
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from status" -l profile -d 'Named profile from the config file (env: KAFKAOPS_PROFILE)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from status" -l timeout -d 'Timeout for each broker call' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from status" -s o -l output -d 'Output format: tables for people, JSON as a stable contract' -r -f -a "table\t''
json\t''
jsonl\t''
prometheus\t''"
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from status" -l color -d 'When to use colour (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from status" -l wide -d 'Show every table column in full instead of fitting tables to the terminal (COLUMNS)'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from status" -s h -l help -d 'Print help'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from status" -s V -l version -d 'Print version'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from audit" -s b -l brokers -d 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from audit" -s X -d 'librdkafka property, repeatable, as kcat\'s -X (e.g. -X security.protocol=SASL_SSL)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from audit" -s F -l config-file -d 'librdkafka properties file (key=value lines)' -r -F
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from audit" -l profile -d 'Named profile from the config file (env: KAFKAOPS_PROFILE)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from audit" -l timeout -d 'Timeout for each broker call' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from audit" -s o -l output -d 'Output format: tables for people, JSON as a stable contract' -r -f -a "table\t''
json\t''
jsonl\t''
prometheus\t''"
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from audit" -l color -d 'When to use colour (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from audit" -l wide -d 'Show every table column in full instead of fitting tables to the terminal (COLUMNS)'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from audit" -s h -l help -d 'Print help'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from audit" -s V -l version -d 'Print version'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from audit" -f -a "verify" -d 'Check the audit log\'s hash chain: exit 1 if any line was edited, reordered or deleted'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from audit" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from rewind" -l group -d 'The consumer group to rewind' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from rewind" -l topic -d 'Only this topic [default: every topic the group committed on]' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from rewind" -l partitions -d 'Only these partitions of --topic, e.g. 0,3-5' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from rewind" -l to-time -d 'The first offset at or after this time (RFC 3339, epoch ms, or relative such as -2h)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from rewind" -l by -d 'This long before now, e.g. 2h (the same as --to-time -2h)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from rewind" -l to-offsets -d 'Explicit offset of a partition of --topic, e.g. 3:1200 (repeatable)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from rewind" -l to-replay-plan -d 'Where a plan file of `replay plan --out` starts reading, per partition of its source topic' -r -F
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from rewind" -l owner -d 'Who is responsible for this rewind (recorded in the audit log)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from rewind" -l reason -d 'Why the group reprocesses (recorded in the audit log)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from rewind" -l ticket -d 'Ticket or incident reference' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from rewind" -l max-records -d 'Refuse rewinds that make the group reprocess more records than this' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from rewind" -l out -d 'Save the plan to this file (for `replay run --plan FILE`) and change nothing' -r -F
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from rewind" -l audit-log -d 'Audit log file [default: the profile\'s audit_log, else $XDG_STATE_HOME/kafkaops/audit.jsonl]' -r -F
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from rewind" -l audit-topic -d 'Also publish audit events to this Kafka topic' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from rewind" -s b -l brokers -d 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from rewind" -s X -d 'librdkafka property, repeatable, as kcat\'s -X (e.g. -X security.protocol=SASL_SSL)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from rewind" -s F -l config-file -d 'librdkafka properties file (key=value lines)' -r -F
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from rewind" -l profile -d 'Named profile from the config file (env: KAFKAOPS_PROFILE)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from rewind" -l timeout -d 'Timeout for each broker call' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from rewind" -s o -l output -d 'Output format: tables for people, JSON as a stable contract' -r -f -a "table\t''
json\t''
jsonl\t''
prometheus\t''"
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from rewind" -l color -d 'When to use colour (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from rewind" -l to-earliest -d 'The log start of each partition'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from rewind" -l to-latest -d 'The log end of each partition (skips every record not yet processed: needs --allow-forward)'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from rewind" -l allow-forward -d 'Allow moving offsets forward, so the group never processes the records in between'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from rewind" -l assume-inactive -d 'The broker cannot tell whether the group has members (no DescribeGroups): go ahead, you checked'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from rewind" -l include-uncommitted -d 'Also move partitions the group never committed (left alone by default)'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from rewind" -l dry-run -d 'Show the plan, change nothing'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from rewind" -s y -l yes -d 'Do not ask for confirmation (required without a terminal)'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from rewind" -l wide -d 'Show every table column in full instead of fitting tables to the terminal (COLUMNS)'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from rewind" -s h -l help -d 'Print help'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from rewind" -s V -l version -d 'Print version'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from undo" -l owner -d 'Who undoes it [default: the rewind\'s owner]' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from undo" -l reason -d 'Why [default: "undo of rewind ID"]' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from undo" -l max-records -d 'Refuse an undo that makes the group reprocess more records than this' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from undo" -l audit-log -d 'Audit log file [default: the profile\'s audit_log, else $XDG_STATE_HOME/kafkaops/audit.jsonl]' -r -F
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from undo" -l audit-topic -d 'Also publish audit events to this Kafka topic' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from undo" -s b -l brokers -d 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from undo" -s X -d 'librdkafka property, repeatable, as kcat\'s -X (e.g. -X security.protocol=SASL_SSL)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from undo" -s F -l config-file -d 'librdkafka properties file (key=value lines)' -r -F
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from undo" -l profile -d 'Named profile from the config file (env: KAFKAOPS_PROFILE)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from undo" -l timeout -d 'Timeout for each broker call' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from undo" -s o -l output -d 'Output format: tables for people, JSON as a stable contract' -r -f -a "table\t''
json\t''
jsonl\t''
prometheus\t''"
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from undo" -l color -d 'When to use colour (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from undo" -l assume-inactive -d 'The broker cannot tell whether the group has members: go ahead, you checked'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from undo" -l dry-run -d 'Show the plan, change nothing'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from undo" -s y -l yes -d 'Do not ask for confirmation (required without a terminal)'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from undo" -l wide -d 'Show every table column in full instead of fitting tables to the terminal (COLUMNS)'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from undo" -s h -l help -d 'Print help'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from undo" -s V -l version -d 'Print version'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from help" -f -a "plan" -d 'Resolve a selection into an exact plan (offsets, counts, bytes, blast radius); produces nothing'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from help" -f -a "run" -d 'Execute a selection or a saved plan: confirmed, rate-limited, audited, checkpointed'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from help" -f -a "resume" -d 'Continue an interrupted or failed replay without sending any record twice'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from help" -f -a "status" -d 'List replays with their state, counts and rates'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from help" -f -a "audit" -d 'The audit log (same as `kafkaops audit`)'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from help" -f -a "rewind" -d 'Make one consumer group reprocess by moving its committed offsets: planned, guarded, confirmed, audited, undoable'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from help" -f -a "undo" -d 'Put a rewound group\'s offsets back exactly where they were before the rewind'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand replay; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand lag" -l group -d 'Consumer group to report (repeatable); default: every group the cluster lists' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand lag" -l group-regex -d 'Report the groups whose name matches this regex (with --group: in addition)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand lag" -l topic -d 'Only this topic' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand lag" -l samples -d 'Snapshots to take for trend statuses' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand lag" -l interval -d 'Time between snapshots' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand lag" -l allowed-lag -d 'Lag (records) that still counts as caught up in trend statuses' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand lag" -l max-lag -d 'Breach when any partition\'s lag exceeds N records' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand lag" -l max-total-lag -d 'Breach when a group\'s total lag exceeds N records' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand lag" -l max-age -d 'Breach when any partition\'s event age exceeds DURATION' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand lag" -l fail-on -d 'Breach when a group\'s trend status is this bad (needs --samples 2 or more)' -r -f -a "warn\t'WARN, STALL, STOP or REWIND'
err\t'STALL, STOP or REWIND'"
complete -c kafkaops -n "__fish_kafkaops_using_subcommand lag" -l watch -d 'Redraw every INTERVAL with consumption rate and time to catch up, until Ctrl-C' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand lag" -l out -d 'Write the report to FILE instead of stdout, replacing it atomically once the report is complete (each sample or --watch frame); a failed run keeps the old file' -r -F
complete -c kafkaops -n "__fish_kafkaops_using_subcommand lag" -s b -l brokers -d 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand lag" -s X -d 'librdkafka property, repeatable, as kcat\'s -X (e.g. -X security.protocol=SASL_SSL)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand lag" -s F -l config-file -d 'librdkafka properties file (key=value lines)' -r -F
complete -c kafkaops -n "__fish_kafkaops_using_subcommand lag" -l profile -d 'Named profile from the config file (env: KAFKAOPS_PROFILE)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand lag" -l timeout -d 'Timeout for each broker call' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand lag" -s o -l output -d 'Output format: tables for people, JSON as a stable contract' -r -f -a "table\t''
json\t''
jsonl\t''
prometheus\t''"
complete -c kafkaops -n "__fish_kafkaops_using_subcommand lag" -l color -d 'When to use colour (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c kafkaops -n "__fish_kafkaops_using_subcommand lag" -l no-age -d 'Skip event-age lookups (reads no records)'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand lag" -l wide -d 'Show every table column in full instead of fitting tables to the terminal (COLUMNS)'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand lag" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand lag" -s V -l version -d 'Print version'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand serve" -l listen -d 'Address to serve HTTP on [default: 127.0.0.1:9308]' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand serve" -l interval -d 'Time between collections [default: 30s]' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand serve" -l window -d 'Lag samples the trend status (OK, WARN, STALL, STOP, REWIND) is judged over [default: 10]' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand serve" -l group -d 'Consumer group to follow (repeatable); default: every group the cluster lists' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand serve" -l group-regex -d 'Follow the groups whose name matches this regex (with --group: in addition)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand serve" -l topic -d 'Only this topic\'s partitions' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand serve" -l allowed-lag -d 'Lag at or below which a partition counts as caught up in the trend [default: 0]' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand serve" -l dlq-topic -d 'Dead-letter topic to triage continuously (repeatable)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand serve" -l rules -d 'Rules file deciding an action per DLQ category, as for `dlq triage`' -r -F
complete -c kafkaops -n "__fish_kafkaops_using_subcommand serve" -l sla -d 'Triage SLA: a category whose oldest open record is older breaches it' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand serve" -l audit-log -d 'Audit log holding the handled marks [default: as for `dlq triage`]' -r -F
complete -c kafkaops -n "__fish_kafkaops_using_subcommand serve" -l max-categories -d 'Categories counted one by one per DLQ topic; the rest share an overflow row [default: 1000]' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand serve" -l config -d 'Serve settings as TOML (keys named as these flags); flags given here win' -r -F
complete -c kafkaops -n "__fish_kafkaops_using_subcommand serve" -s b -l brokers -d 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand serve" -s X -d 'librdkafka property, repeatable, as kcat\'s -X (e.g. -X security.protocol=SASL_SSL)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand serve" -s F -l config-file -d 'librdkafka properties file (key=value lines)' -r -F
complete -c kafkaops -n "__fish_kafkaops_using_subcommand serve" -l profile -d 'Named profile from the config file (env: KAFKAOPS_PROFILE)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand serve" -l timeout -d 'Timeout for each broker call' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand serve" -s o -l output -d 'Output format: tables for people, JSON as a stable contract' -r -f -a "table\t''
json\t''
jsonl\t''
prometheus\t''"
complete -c kafkaops -n "__fish_kafkaops_using_subcommand serve" -l color -d 'When to use colour (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c kafkaops -n "__fish_kafkaops_using_subcommand serve" -l no-age -d 'Skip event ages (no record reads for lag)'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand serve" -l no-lag -d 'Collect no lag: DLQ topics only'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand serve" -l wide -d 'Show every table column in full instead of fitting tables to the terminal (COLUMNS)'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand serve" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand serve" -s V -l version -d 'Print version'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand audit; and not __fish_seen_subcommand_from verify help" -s b -l brokers -d 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand audit; and not __fish_seen_subcommand_from verify help" -s X -d 'librdkafka property, repeatable, as kcat\'s -X (e.g. -X security.protocol=SASL_SSL)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand audit; and not __fish_seen_subcommand_from verify help" -s F -l config-file -d 'librdkafka properties file (key=value lines)' -r -F
complete -c kafkaops -n "__fish_kafkaops_using_subcommand audit; and not __fish_seen_subcommand_from verify help" -l profile -d 'Named profile from the config file (env: KAFKAOPS_PROFILE)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand audit; and not __fish_seen_subcommand_from verify help" -l timeout -d 'Timeout for each broker call' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand audit; and not __fish_seen_subcommand_from verify help" -s o -l output -d 'Output format: tables for people, JSON as a stable contract' -r -f -a "table\t''
json\t''
jsonl\t''
prometheus\t''"
complete -c kafkaops -n "__fish_kafkaops_using_subcommand audit; and not __fish_seen_subcommand_from verify help" -l color -d 'When to use colour (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c kafkaops -n "__fish_kafkaops_using_subcommand audit; and not __fish_seen_subcommand_from verify help" -l wide -d 'Show every table column in full instead of fitting tables to the terminal (COLUMNS)'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand audit; and not __fish_seen_subcommand_from verify help" -s h -l help -d 'Print help'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand audit; and not __fish_seen_subcommand_from verify help" -s V -l version -d 'Print version'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand audit; and not __fish_seen_subcommand_from verify help" -f -a "verify" -d 'Check the audit log\'s hash chain: exit 1 if any line was edited, reordered or deleted'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand audit; and not __fish_seen_subcommand_from verify help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand audit; and __fish_seen_subcommand_from verify" -l audit-log -d 'Audit log file [default: the profile\'s audit_log, else $XDG_STATE_HOME/kafkaops/audit.jsonl]' -r -F
complete -c kafkaops -n "__fish_kafkaops_using_subcommand audit; and __fish_seen_subcommand_from verify" -s b -l brokers -d 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand audit; and __fish_seen_subcommand_from verify" -s X -d 'librdkafka property, repeatable, as kcat\'s -X (e.g. -X security.protocol=SASL_SSL)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand audit; and __fish_seen_subcommand_from verify" -s F -l config-file -d 'librdkafka properties file (key=value lines)' -r -F
complete -c kafkaops -n "__fish_kafkaops_using_subcommand audit; and __fish_seen_subcommand_from verify" -l profile -d 'Named profile from the config file (env: KAFKAOPS_PROFILE)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand audit; and __fish_seen_subcommand_from verify" -l timeout -d 'Timeout for each broker call' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand audit; and __fish_seen_subcommand_from verify" -s o -l output -d 'Output format: tables for people, JSON as a stable contract' -r -f -a "table\t''
json\t''
jsonl\t''
prometheus\t''"
complete -c kafkaops -n "__fish_kafkaops_using_subcommand audit; and __fish_seen_subcommand_from verify" -l color -d 'When to use colour (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c kafkaops -n "__fish_kafkaops_using_subcommand audit; and __fish_seen_subcommand_from verify" -l allow-missing-head -d 'Pass a log whose .head file is missing (its tail cannot be checked then)'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand audit; and __fish_seen_subcommand_from verify" -l wide -d 'Show every table column in full instead of fitting tables to the terminal (COLUMNS)'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand audit; and __fish_seen_subcommand_from verify" -s h -l help -d 'Print help'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand audit; and __fish_seen_subcommand_from verify" -s V -l version -d 'Print version'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand audit; and __fish_seen_subcommand_from help" -f -a "verify" -d 'Check the audit log\'s hash chain: exit 1 if any line was edited, reordered or deleted'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand audit; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand drill" -l topic -d 'Source topic whose window is replayed' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand drill" -l window -d 'Length of the window, ending at --at' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand drill" -l at -d 'End of the window (default: now)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand drill" -l rate -d 'Rate ceiling, records per second' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand drill" -l to -d 'Replay into this existing topic instead of a new scratch topic' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand drill" -l owner -d 'Who runs the drill (audit log and provenance headers)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand drill" -l ticket -d 'Ticket or change reference' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand drill" -l max-records -d 'Refuse windows with more records than this' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand drill" -l audit-log -d 'Audit log file [default: the profile\'s audit_log, else $XDG_STATE_HOME/kafkaops/audit.jsonl]' -r -F
complete -c kafkaops -n "__fish_kafkaops_using_subcommand drill" -l report -d 'Write the JSON report here too' -r -F
complete -c kafkaops -n "__fish_kafkaops_using_subcommand drill" -l junit -d 'Write a JUnit XML report here, for CI test views' -r -F
complete -c kafkaops -n "__fish_kafkaops_using_subcommand drill" -l verify -d 'Re-verify an earlier replay or drill by id instead of replaying' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand drill" -s b -l brokers -d 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand drill" -s X -d 'librdkafka property, repeatable, as kcat\'s -X (e.g. -X security.protocol=SASL_SSL)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand drill" -s F -l config-file -d 'librdkafka properties file (key=value lines)' -r -F
complete -c kafkaops -n "__fish_kafkaops_using_subcommand drill" -l profile -d 'Named profile from the config file (env: KAFKAOPS_PROFILE)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand drill" -l timeout -d 'Timeout for each broker call' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand drill" -s o -l output -d 'Output format: tables for people, JSON as a stable contract' -r -f -a "table\t''
json\t''
jsonl\t''
prometheus\t''"
complete -c kafkaops -n "__fish_kafkaops_using_subcommand drill" -l color -d 'When to use colour (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c kafkaops -n "__fish_kafkaops_using_subcommand drill" -l cleanup -d 'Remove the scratch topic afterwards, where the broker allows it'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand drill" -s y -l yes -d 'Do not ask for confirmation (required without a terminal)'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand drill" -l wide -d 'Show every table column in full instead of fitting tables to the terminal (COLUMNS)'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand drill" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand drill" -s V -l version -d 'Print version'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand demo" -s b -l brokers -d 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand demo" -s X -d 'librdkafka property, repeatable, as kcat\'s -X (e.g. -X security.protocol=SASL_SSL)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand demo" -s F -l config-file -d 'librdkafka properties file (key=value lines)' -r -F
complete -c kafkaops -n "__fish_kafkaops_using_subcommand demo" -l profile -d 'Named profile from the config file (env: KAFKAOPS_PROFILE)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand demo" -l timeout -d 'Timeout for each broker call' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand demo" -s o -l output -d 'Output format: tables for people, JSON as a stable contract' -r -f -a "table\t''
json\t''
jsonl\t''
prometheus\t''"
complete -c kafkaops -n "__fish_kafkaops_using_subcommand demo" -l color -d 'When to use colour (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c kafkaops -n "__fish_kafkaops_using_subcommand demo" -l wide -d 'Show every table column in full instead of fitting tables to the terminal (COLUMNS)'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand demo" -s h -l help -d 'Print help'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand demo" -s V -l version -d 'Print version'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand sandbox" -l listen -d 'Loopback address the sandbox broker listens on' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand sandbox" -l seed -d 'What to seed it with' -r -f -a "incident\t'An order pipeline mid-incident: orders, payments, a DLQ, groups in several states'
none\t'Empty topics only'"
complete -c kafkaops -n "__fish_kafkaops_using_subcommand sandbox" -l create-topic -d 'Also create an empty topic, NAME:PARTITIONS (repeatable), e.g. for benchmarks' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand sandbox" -s b -l brokers -d 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand sandbox" -s X -d 'librdkafka property, repeatable, as kcat\'s -X (e.g. -X security.protocol=SASL_SSL)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand sandbox" -s F -l config-file -d 'librdkafka properties file (key=value lines)' -r -F
complete -c kafkaops -n "__fish_kafkaops_using_subcommand sandbox" -l profile -d 'Named profile from the config file (env: KAFKAOPS_PROFILE)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand sandbox" -l timeout -d 'Timeout for each broker call' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand sandbox" -s o -l output -d 'Output format: tables for people, JSON as a stable contract' -r -f -a "table\t''
json\t''
jsonl\t''
prometheus\t''"
complete -c kafkaops -n "__fish_kafkaops_using_subcommand sandbox" -l color -d 'When to use colour (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c kafkaops -n "__fish_kafkaops_using_subcommand sandbox" -l no-serve -d 'Seed, print the address and exit instead of serving (the broker stops with the process)'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand sandbox" -l wide -d 'Show every table column in full instead of fitting tables to the terminal (COLUMNS)'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand sandbox" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand sandbox" -s V -l version -d 'Print version'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand topic; and not __fish_seen_subcommand_from describe help" -s b -l brokers -d 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand topic; and not __fish_seen_subcommand_from describe help" -s X -d 'librdkafka property, repeatable, as kcat\'s -X (e.g. -X security.protocol=SASL_SSL)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand topic; and not __fish_seen_subcommand_from describe help" -s F -l config-file -d 'librdkafka properties file (key=value lines)' -r -F
complete -c kafkaops -n "__fish_kafkaops_using_subcommand topic; and not __fish_seen_subcommand_from describe help" -l profile -d 'Named profile from the config file (env: KAFKAOPS_PROFILE)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand topic; and not __fish_seen_subcommand_from describe help" -l timeout -d 'Timeout for each broker call' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand topic; and not __fish_seen_subcommand_from describe help" -s o -l output -d 'Output format: tables for people, JSON as a stable contract' -r -f -a "table\t''
json\t''
jsonl\t''
prometheus\t''"
complete -c kafkaops -n "__fish_kafkaops_using_subcommand topic; and not __fish_seen_subcommand_from describe help" -l color -d 'When to use colour (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c kafkaops -n "__fish_kafkaops_using_subcommand topic; and not __fish_seen_subcommand_from describe help" -l wide -d 'Show every table column in full instead of fitting tables to the terminal (COLUMNS)'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand topic; and not __fish_seen_subcommand_from describe help" -s h -l help -d 'Print help'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand topic; and not __fish_seen_subcommand_from describe help" -s V -l version -d 'Print version'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand topic; and not __fish_seen_subcommand_from describe help" -f -a "describe" -d 'Show partitions, leaders, replicas, log start/end and record counts'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand topic; and not __fish_seen_subcommand_from describe help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand topic; and __fish_seen_subcommand_from describe" -s t -l topic -d 'Topic to describe' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand topic; and __fish_seen_subcommand_from describe" -l at -d 'Also look up the first offset at or after this time (offsets-for-times)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand topic; and __fish_seen_subcommand_from describe" -s b -l brokers -d 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand topic; and __fish_seen_subcommand_from describe" -s X -d 'librdkafka property, repeatable, as kcat\'s -X (e.g. -X security.protocol=SASL_SSL)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand topic; and __fish_seen_subcommand_from describe" -s F -l config-file -d 'librdkafka properties file (key=value lines)' -r -F
complete -c kafkaops -n "__fish_kafkaops_using_subcommand topic; and __fish_seen_subcommand_from describe" -l profile -d 'Named profile from the config file (env: KAFKAOPS_PROFILE)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand topic; and __fish_seen_subcommand_from describe" -l timeout -d 'Timeout for each broker call' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand topic; and __fish_seen_subcommand_from describe" -s o -l output -d 'Output format: tables for people, JSON as a stable contract' -r -f -a "table\t''
json\t''
jsonl\t''
prometheus\t''"
complete -c kafkaops -n "__fish_kafkaops_using_subcommand topic; and __fish_seen_subcommand_from describe" -l color -d 'When to use colour (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c kafkaops -n "__fish_kafkaops_using_subcommand topic; and __fish_seen_subcommand_from describe" -l wide -d 'Show every table column in full instead of fitting tables to the terminal (COLUMNS)'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand topic; and __fish_seen_subcommand_from describe" -s h -l help -d 'Print help'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand topic; and __fish_seen_subcommand_from describe" -s V -l version -d 'Print version'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand topic; and __fish_seen_subcommand_from help" -f -a "describe" -d 'Show partitions, leaders, replicas, log start/end and record counts'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand topic; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand config; and not __fish_seen_subcommand_from show check help" -s b -l brokers -d 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand config; and not __fish_seen_subcommand_from show check help" -s X -d 'librdkafka property, repeatable, as kcat\'s -X (e.g. -X security.protocol=SASL_SSL)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand config; and not __fish_seen_subcommand_from show check help" -s F -l config-file -d 'librdkafka properties file (key=value lines)' -r -F
complete -c kafkaops -n "__fish_kafkaops_using_subcommand config; and not __fish_seen_subcommand_from show check help" -l profile -d 'Named profile from the config file (env: KAFKAOPS_PROFILE)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand config; and not __fish_seen_subcommand_from show check help" -l timeout -d 'Timeout for each broker call' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand config; and not __fish_seen_subcommand_from show check help" -s o -l output -d 'Output format: tables for people, JSON as a stable contract' -r -f -a "table\t''
json\t''
jsonl\t''
prometheus\t''"
complete -c kafkaops -n "__fish_kafkaops_using_subcommand config; and not __fish_seen_subcommand_from show check help" -l color -d 'When to use colour (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c kafkaops -n "__fish_kafkaops_using_subcommand config; and not __fish_seen_subcommand_from show check help" -l wide -d 'Show every table column in full instead of fitting tables to the terminal (COLUMNS)'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand config; and not __fish_seen_subcommand_from show check help" -s h -l help -d 'Print help'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand config; and not __fish_seen_subcommand_from show check help" -s V -l version -d 'Print version'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand config; and not __fish_seen_subcommand_from show check help" -f -a "show" -d 'Print brokers and librdkafka properties after flags, env and profile are merged; secrets redacted'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand config; and not __fish_seen_subcommand_from show check help" -f -a "check" -d 'Connect, authenticate and fetch metadata; exit 3 when the cluster cannot be reached'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand config; and not __fish_seen_subcommand_from show check help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand config; and __fish_seen_subcommand_from show" -s b -l brokers -d 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand config; and __fish_seen_subcommand_from show" -s X -d 'librdkafka property, repeatable, as kcat\'s -X (e.g. -X security.protocol=SASL_SSL)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand config; and __fish_seen_subcommand_from show" -s F -l config-file -d 'librdkafka properties file (key=value lines)' -r -F
complete -c kafkaops -n "__fish_kafkaops_using_subcommand config; and __fish_seen_subcommand_from show" -l profile -d 'Named profile from the config file (env: KAFKAOPS_PROFILE)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand config; and __fish_seen_subcommand_from show" -l timeout -d 'Timeout for each broker call' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand config; and __fish_seen_subcommand_from show" -s o -l output -d 'Output format: tables for people, JSON as a stable contract' -r -f -a "table\t''
json\t''
jsonl\t''
prometheus\t''"
complete -c kafkaops -n "__fish_kafkaops_using_subcommand config; and __fish_seen_subcommand_from show" -l color -d 'When to use colour (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c kafkaops -n "__fish_kafkaops_using_subcommand config; and __fish_seen_subcommand_from show" -l wide -d 'Show every table column in full instead of fitting tables to the terminal (COLUMNS)'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand config; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand config; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand config; and __fish_seen_subcommand_from check" -s b -l brokers -d 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand config; and __fish_seen_subcommand_from check" -s X -d 'librdkafka property, repeatable, as kcat\'s -X (e.g. -X security.protocol=SASL_SSL)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand config; and __fish_seen_subcommand_from check" -s F -l config-file -d 'librdkafka properties file (key=value lines)' -r -F
complete -c kafkaops -n "__fish_kafkaops_using_subcommand config; and __fish_seen_subcommand_from check" -l profile -d 'Named profile from the config file (env: KAFKAOPS_PROFILE)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand config; and __fish_seen_subcommand_from check" -l timeout -d 'Timeout for each broker call' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand config; and __fish_seen_subcommand_from check" -s o -l output -d 'Output format: tables for people, JSON as a stable contract' -r -f -a "table\t''
json\t''
jsonl\t''
prometheus\t''"
complete -c kafkaops -n "__fish_kafkaops_using_subcommand config; and __fish_seen_subcommand_from check" -l color -d 'When to use colour (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c kafkaops -n "__fish_kafkaops_using_subcommand config; and __fish_seen_subcommand_from check" -l wide -d 'Show every table column in full instead of fitting tables to the terminal (COLUMNS)'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand config; and __fish_seen_subcommand_from check" -s h -l help -d 'Print help'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand config; and __fish_seen_subcommand_from check" -s V -l version -d 'Print version'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "show" -d 'Print brokers and librdkafka properties after flags, env and profile are merged; secrets redacted'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "check" -d 'Connect, authenticate and fetch metadata; exit 3 when the cluster cannot be reached'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand generate" -l out-dir -d 'Directory that receives completions/ and man/' -r -F
complete -c kafkaops -n "__fish_kafkaops_using_subcommand generate" -s b -l brokers -d 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand generate" -s X -d 'librdkafka property, repeatable, as kcat\'s -X (e.g. -X security.protocol=SASL_SSL)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand generate" -s F -l config-file -d 'librdkafka properties file (key=value lines)' -r -F
complete -c kafkaops -n "__fish_kafkaops_using_subcommand generate" -l profile -d 'Named profile from the config file (env: KAFKAOPS_PROFILE)' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand generate" -l timeout -d 'Timeout for each broker call' -r
complete -c kafkaops -n "__fish_kafkaops_using_subcommand generate" -s o -l output -d 'Output format: tables for people, JSON as a stable contract' -r -f -a "table\t''
json\t''
jsonl\t''
prometheus\t''"
complete -c kafkaops -n "__fish_kafkaops_using_subcommand generate" -l color -d 'When to use colour (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c kafkaops -n "__fish_kafkaops_using_subcommand generate" -l wide -d 'Show every table column in full instead of fitting tables to the terminal (COLUMNS)'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand generate" -s h -l help -d 'Print help'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand generate" -s V -l version -d 'Print version'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand help; and not __fish_seen_subcommand_from dlq replay lag serve audit drill demo sandbox topic config generate help" -f -a "dlq" -d 'Triage a dead-letter topic: categories, ages, decisions; inspect and export records'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand help; and not __fish_seen_subcommand_from dlq replay lag serve audit drill demo sandbox topic config generate help" -f -a "replay" -d 'Re-publish a bounded slice of a topic: plan, run, resume, status'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand help; and not __fish_seen_subcommand_from dlq replay lag serve audit drill demo sandbox topic config generate help" -f -a "lag" -d 'Lag and event age per consumer group and partition, with thresholds for CI'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand help; and not __fish_seen_subcommand_from dlq replay lag serve audit drill demo sandbox topic config generate help" -f -a "serve" -d 'Prometheus exporter: lag with trend status, event age and DLQ categories, on /metrics'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand help; and not __fish_seen_subcommand_from dlq replay lag serve audit drill demo sandbox topic config generate help" -f -a "audit" -d 'Verify the replay audit log\'s hash chain (exit 1 if a line was edited, reordered or deleted)'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand help; and not __fish_seen_subcommand_from dlq replay lag serve audit drill demo sandbox topic config generate help" -f -a "drill" -d 'Replay drill for scheduled CI: replay a window into a scratch topic and prove parity'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand help; and not __fish_seen_subcommand_from dlq replay lag serve audit drill demo sandbox topic config generate help" -f -a "demo" -d 'A guided tour on the embedded sandbox: triage, lag, a planned and audited redrive'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand help; and not __fish_seen_subcommand_from dlq replay lag serve audit drill demo sandbox topic config generate help" -f -a "sandbox" -d 'Start an embedded, seeded Kafka-protocol broker to try kafkaops on (no Kafka needed)'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand help; and not __fish_seen_subcommand_from dlq replay lag serve audit drill demo sandbox topic config generate help" -f -a "topic" -d 'Partitions, leaders, watermarks and offsets-for-times of one topic'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand help; and not __fish_seen_subcommand_from dlq replay lag serve audit drill demo sandbox topic config generate help" -f -a "config" -d 'Show or check the effective connection settings'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand help; and not __fish_seen_subcommand_from dlq replay lag serve audit drill demo sandbox topic config generate help" -f -a "generate" -d 'Write shell completions and man pages (used to refresh completions/ and man/)'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand help; and not __fish_seen_subcommand_from dlq replay lag serve audit drill demo sandbox topic config generate help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand help; and __fish_seen_subcommand_from dlq" -f -a "triage" -d 'What is in a dead-letter topic: categories, counts, ages, origins, decisions'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand help; and __fish_seen_subcommand_from dlq" -f -a "inspect" -d 'Show records with headers decoded to typed values and payloads pretty-printed'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand help; and __fish_seen_subcommand_from dlq" -f -a "export" -d 'Write records as byte-exact JSON Lines, to fix by hand and replay from the file'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand help; and __fish_seen_subcommand_from dlq" -f -a "mark" -d 'Record categories as handled or discarded, so triage and its SLA count only open records'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand help; and __fish_seen_subcommand_from replay" -f -a "plan" -d 'Resolve a selection into an exact plan (offsets, counts, bytes, blast radius); produces nothing'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand help; and __fish_seen_subcommand_from replay" -f -a "run" -d 'Execute a selection or a saved plan: confirmed, rate-limited, audited, checkpointed'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand help; and __fish_seen_subcommand_from replay" -f -a "resume" -d 'Continue an interrupted or failed replay without sending any record twice'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand help; and __fish_seen_subcommand_from replay" -f -a "status" -d 'List replays with their state, counts and rates'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand help; and __fish_seen_subcommand_from replay" -f -a "audit" -d 'The audit log (same as `kafkaops audit`)'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand help; and __fish_seen_subcommand_from replay" -f -a "rewind" -d 'Make one consumer group reprocess by moving its committed offsets: planned, guarded, confirmed, audited, undoable'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand help; and __fish_seen_subcommand_from replay" -f -a "undo" -d 'Put a rewound group\'s offsets back exactly where they were before the rewind'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand help; and __fish_seen_subcommand_from audit" -f -a "verify" -d 'Check the audit log\'s hash chain: exit 1 if any line was edited, reordered or deleted'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand help; and __fish_seen_subcommand_from topic" -f -a "describe" -d 'Show partitions, leaders, replicas, log start/end and record counts'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "show" -d 'Print brokers and librdkafka properties after flags, env and profile are merged; secrets redacted'
complete -c kafkaops -n "__fish_kafkaops_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "check" -d 'Connect, authenticate and fetch metadata; exit 3 when the cluster cannot be reached'
