
use builtin;
use str;

set edit:completion:arg-completer[kafkaops] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'kafkaops'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'kafkaops'= {
            cand -b 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)'
            cand --brokers 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)'
            cand -X 'librdkafka property, repeatable, as kcat''s -X (e.g. -X security.protocol=SASL_SSL)'
            cand -F 'librdkafka properties file (key=value lines)'
            cand --config-file 'librdkafka properties file (key=value lines)'
            cand --profile 'Named profile from the config file (env: KAFKAOPS_PROFILE)'
            cand --timeout 'Timeout for each broker call'
            cand -o 'Output format: tables for people, JSON as a stable contract'
            cand --output 'Output format: tables for people, JSON as a stable contract'
            cand --color 'When to use colour (NO_COLOR is honoured by `auto`)'
            cand --wide 'Show every table column in full instead of fitting tables to the terminal (COLUMNS)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand dlq 'Triage a dead-letter topic: categories, ages, decisions; inspect and export records'
            cand replay 'Re-publish a bounded slice of a topic: plan, run, resume, status'
            cand lag 'Lag and event age per consumer group and partition, with thresholds for CI'
            cand serve 'Prometheus exporter: lag with trend status, event age and DLQ categories, on /metrics'
            cand audit 'Verify the replay audit log''s hash chain (exit 1 if a line was edited, reordered or deleted)'
            cand drill 'Replay drill for scheduled CI: replay a window into a scratch topic and prove parity'
            cand demo 'A guided tour on the embedded sandbox: triage, lag, a planned and audited redrive'
            cand sandbox 'Start an embedded, seeded Kafka-protocol broker to try kafkaops on (no Kafka needed)'
            cand topic 'Partitions, leaders, watermarks and offsets-for-times of one topic'
            cand config 'Show or check the effective connection settings'
            cand generate 'Write shell completions and man pages (used to refresh completions/ and man/)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'kafkaops;dlq'= {
            cand -b 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)'
            cand --brokers 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)'
            cand -X 'librdkafka property, repeatable, as kcat''s -X (e.g. -X security.protocol=SASL_SSL)'
            cand -F 'librdkafka properties file (key=value lines)'
            cand --config-file 'librdkafka properties file (key=value lines)'
            cand --profile 'Named profile from the config file (env: KAFKAOPS_PROFILE)'
            cand --timeout 'Timeout for each broker call'
            cand -o 'Output format: tables for people, JSON as a stable contract'
            cand --output 'Output format: tables for people, JSON as a stable contract'
            cand --color 'When to use colour (NO_COLOR is honoured by `auto`)'
            cand --wide 'Show every table column in full instead of fitting tables to the terminal (COLUMNS)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand triage 'What is in a dead-letter topic: categories, counts, ages, origins, decisions'
            cand inspect 'Show records with headers decoded to typed values and payloads pretty-printed'
            cand export 'Write records as byte-exact JSON Lines, to fix by hand and replay from the file'
            cand mark 'Record categories as handled or discarded, so triage and its SLA count only open records'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'kafkaops;dlq;triage'= {
            cand --topic 'The dead-letter topic'
            cand --from 'Only records dead-lettered at or after this time (RFC 3339, date, epoch ms, -2h)'
            cand --until 'Only records dead-lettered before this time'
            cand --partitions 'Only these partitions of the dead-letter topic, e.g. 0,3-5'
            cand --max-records 'Read at most this many records, spread over the partitions'
            cand --rules 'Rules file (TOML, or JSON with a .json extension) mapping categories to actions and owners'
            cand --sla 'Triage SLA: mark categories whose oldest record is older than this (e.g. 24h)'
            cand --fail-on 'Exit 1 after printing the report when the condition holds (for scheduled alerting)'
            cand --max-categories 'Keep at most this many categories; records of further categories are counted in an overflow row'
            cand -j 'Read with this many consumers in parallel, each over its own partitions [default: one per core, up to 4, for scans of 100,000 records or more]'
            cand --threads 'Read with this many consumers in parallel, each over its own partitions [default: one per core, up to 4, for scans of 100,000 records or more]'
            cand --audit-log 'Audit log holding the handled marks [default: the profile''s audit_log, else the state dir]'
            cand --out 'Write the report to FILE (atomically, only when complete: a failed run keeps the old file)'
            cand --group-by 'Dimensions that define a category: exception, cause, reason, original-topic, group, stage, convention, key, partition'
            cand --reason-header 'Header that holds the failure reason (wins over the conventions)'
            cand --reason-json-pointer 'JSON pointer to the reason inside a JSON value, e.g. /error/message'
            cand --original-topic-header 'Header that holds the original topic'
            cand --original-topic-json-pointer 'JSON pointer to the original topic inside a JSON value'
            cand -b 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)'
            cand --brokers 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)'
            cand -X 'librdkafka property, repeatable, as kcat''s -X (e.g. -X security.protocol=SASL_SSL)'
            cand -F 'librdkafka properties file (key=value lines)'
            cand --config-file 'librdkafka properties file (key=value lines)'
            cand --profile 'Named profile from the config file (env: KAFKAOPS_PROFILE)'
            cand --timeout 'Timeout for each broker call'
            cand -o 'Output format: tables for people, JSON as a stable contract'
            cand --output 'Output format: tables for people, JSON as a stable contract'
            cand --color 'When to use colour (NO_COLOR is honoured by `auto`)'
            cand --wide 'Show every table column in full instead of fitting tables to the terminal (COLUMNS)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'kafkaops;dlq;inspect'= {
            cand --topic 'The dead-letter topic'
            cand --from 'Only records dead-lettered at or after this time (RFC 3339, date, epoch ms, -2h)'
            cand --until 'Only records dead-lettered before this time'
            cand --partitions 'Only these partitions of the dead-letter topic, e.g. 0,3-5'
            cand --max-records 'Read at most this many records, spread over the partitions'
            cand --offset 'A record''s coordinates PARTITION:OFFSET (repeatable)'
            cand --category 'A category ID from `dlq triage`'
            cand --key 'Records with exactly this key (text, or base64:... for binary keys)'
            cand --limit 'Show at most this many records'
            cand --group-by 'Dimensions that define a category: exception, cause, reason, original-topic, group, stage, convention, key, partition'
            cand --reason-header 'Header that holds the failure reason (wins over the conventions)'
            cand --reason-json-pointer 'JSON pointer to the reason inside a JSON value, e.g. /error/message'
            cand --original-topic-header 'Header that holds the original topic'
            cand --original-topic-json-pointer 'JSON pointer to the original topic inside a JSON value'
            cand -b 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)'
            cand --brokers 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)'
            cand -X 'librdkafka property, repeatable, as kcat''s -X (e.g. -X security.protocol=SASL_SSL)'
            cand -F 'librdkafka properties file (key=value lines)'
            cand --config-file 'librdkafka properties file (key=value lines)'
            cand --profile 'Named profile from the config file (env: KAFKAOPS_PROFILE)'
            cand --timeout 'Timeout for each broker call'
            cand -o 'Output format: tables for people, JSON as a stable contract'
            cand --output 'Output format: tables for people, JSON as a stable contract'
            cand --color 'When to use colour (NO_COLOR is honoured by `auto`)'
            cand --wide 'Show every table column in full instead of fitting tables to the terminal (COLUMNS)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'kafkaops;dlq;export'= {
            cand --topic 'The dead-letter topic'
            cand --from 'Only records dead-lettered at or after this time (RFC 3339, date, epoch ms, -2h)'
            cand --until 'Only records dead-lettered before this time'
            cand --partitions 'Only these partitions of the dead-letter topic, e.g. 0,3-5'
            cand --max-records 'Read at most this many records, spread over the partitions'
            cand --offset 'A record''s coordinates PARTITION:OFFSET (repeatable)'
            cand --category 'A category ID from `dlq triage`'
            cand --key 'Records with exactly this key (text, or base64:... for binary keys)'
            cand --limit 'Export at most this many records (default: all that match)'
            cand --out 'Write to this file instead of stdout (it appears only when complete)'
            cand --group-by 'Dimensions that define a category: exception, cause, reason, original-topic, group, stage, convention, key, partition'
            cand --reason-header 'Header that holds the failure reason (wins over the conventions)'
            cand --reason-json-pointer 'JSON pointer to the reason inside a JSON value, e.g. /error/message'
            cand --original-topic-header 'Header that holds the original topic'
            cand --original-topic-json-pointer 'JSON pointer to the original topic inside a JSON value'
            cand -b 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)'
            cand --brokers 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)'
            cand -X 'librdkafka property, repeatable, as kcat''s -X (e.g. -X security.protocol=SASL_SSL)'
            cand -F 'librdkafka properties file (key=value lines)'
            cand --config-file 'librdkafka properties file (key=value lines)'
            cand --profile 'Named profile from the config file (env: KAFKAOPS_PROFILE)'
            cand --timeout 'Timeout for each broker call'
            cand -o 'Output format: tables for people, JSON as a stable contract'
            cand --output 'Output format: tables for people, JSON as a stable contract'
            cand --color 'When to use colour (NO_COLOR is honoured by `auto`)'
            cand --force 'Replace an existing --out file'
            cand --wide 'Show every table column in full instead of fitting tables to the terminal (COLUMNS)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'kafkaops;dlq;mark'= {
            cand --topic 'The dead-letter topic'
            cand --category 'A category ID from `dlq triage` (repeatable)'
            cand --owner 'Who decided (recorded in the audit log)'
            cand --reason 'Why (recorded in the audit log)'
            cand --ticket 'A ticket reference (recorded in the audit log)'
            cand --up-to 'Mark only up to this offset of a partition, exclusive, as PARTITION:OFFSET (repeatable; only the partitions named are marked) [default: every partition up to its log end now]'
            cand --audit-log 'The audit log the mark is appended to [default: the profile''s audit_log, else the state dir]'
            cand --group-by 'Dimensions that define a category: exception, cause, reason, original-topic, group, stage, convention, key, partition'
            cand --reason-header 'Header that holds the failure reason (wins over the conventions)'
            cand --reason-json-pointer 'JSON pointer to the reason inside a JSON value, e.g. /error/message'
            cand --original-topic-header 'Header that holds the original topic'
            cand --original-topic-json-pointer 'JSON pointer to the original topic inside a JSON value'
            cand -b 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)'
            cand --brokers 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)'
            cand -X 'librdkafka property, repeatable, as kcat''s -X (e.g. -X security.protocol=SASL_SSL)'
            cand -F 'librdkafka properties file (key=value lines)'
            cand --config-file 'librdkafka properties file (key=value lines)'
            cand --profile 'Named profile from the config file (env: KAFKAOPS_PROFILE)'
            cand --timeout 'Timeout for each broker call'
            cand -o 'Output format: tables for people, JSON as a stable contract'
            cand --output 'Output format: tables for people, JSON as a stable contract'
            cand --color 'When to use colour (NO_COLOR is honoured by `auto`)'
            cand --handled 'The records were dealt with (fixed by hand, re-published another way)'
            cand --discarded 'The records are deliberately dropped'
            cand --dry-run 'Show what would be marked and stop'
            cand --yes 'Do not ask for confirmation (needed without a terminal)'
            cand --wide 'Show every table column in full instead of fitting tables to the terminal (COLUMNS)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'kafkaops;dlq;help'= {
            cand triage 'What is in a dead-letter topic: categories, counts, ages, origins, decisions'
            cand inspect 'Show records with headers decoded to typed values and payloads pretty-printed'
            cand export 'Write records as byte-exact JSON Lines, to fix by hand and replay from the file'
            cand mark 'Record categories as handled or discarded, so triage and its SLA count only open records'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'kafkaops;dlq;help;triage'= {
        }
        &'kafkaops;dlq;help;inspect'= {
        }
        &'kafkaops;dlq;help;export'= {
        }
        &'kafkaops;dlq;help;mark'= {
        }
        &'kafkaops;dlq;help;help'= {
        }
        &'kafkaops;replay'= {
            cand -b 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)'
            cand --brokers 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)'
            cand -X 'librdkafka property, repeatable, as kcat''s -X (e.g. -X security.protocol=SASL_SSL)'
            cand -F 'librdkafka properties file (key=value lines)'
            cand --config-file 'librdkafka properties file (key=value lines)'
            cand --profile 'Named profile from the config file (env: KAFKAOPS_PROFILE)'
            cand --timeout 'Timeout for each broker call'
            cand -o 'Output format: tables for people, JSON as a stable contract'
            cand --output 'Output format: tables for people, JSON as a stable contract'
            cand --color 'When to use colour (NO_COLOR is honoured by `auto`)'
            cand --wide 'Show every table column in full instead of fitting tables to the terminal (COLUMNS)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand plan 'Resolve a selection into an exact plan (offsets, counts, bytes, blast radius); produces nothing'
            cand run 'Execute a selection or a saved plan: confirmed, rate-limited, audited, checkpointed'
            cand resume 'Continue an interrupted or failed replay without sending any record twice'
            cand status 'List replays with their state, counts and rates'
            cand audit 'The audit log (same as `kafkaops audit`)'
            cand rewind 'Make one consumer group reprocess by moving its committed offsets: planned, guarded, confirmed, audited, undoable'
            cand undo 'Put a rewound group''s offsets back exactly where they were before the rewind'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'kafkaops;replay;plan'= {
            cand --topic 'Source topic to read from'
            cand --from-file 'Replay the records of a JSON Lines file written by `dlq export` (possibly edited)'
            cand --from 'Start of the time window (RFC 3339, epoch ms, `now`, or relative such as -2h)'
            cand --until 'End of the time window, excluded'
            cand --partitions 'Only these source partitions, e.g. 0,3-5'
            cand --offsets 'Offsets per partition, both ends included, e.g. 3:1200-1500 (repeatable)'
            cand --key 'Only records with this key (repeatable; hex:... or base64:... for binary keys)'
            cand --keys-file 'Only records whose key is listed in this file, one key per line'
            cand --key-prefix 'Only records whose key starts with these bytes'
            cand --key-range 'Only records whose key is in START..END, compared byte-wise (END excluded)'
            cand --partitioner 'Partition by key with the producer''s partitioner: reads only the partitions of exact keys, and places keyed records in the destination accordingly'
            cand --placement 'Where records go whose original partition the destination lacks (without it, such a replay is refused): keep, key or fold'
            cand --dlq-category 'Only DLQ records in this category (an id shown by `dlq triage`)'
            cand --group-by 'Dimensions the category id was computed with, as `dlq triage --group-by` [default: exception,reason]'
            cand --reason-header 'Header that holds the failure reason (wins over the conventions)'
            cand --reason-json-pointer 'JSON pointer to the reason inside a JSON value, e.g. /error/message'
            cand --original-topic-header 'Header that holds the original topic'
            cand --original-topic-json-pointer 'JSON pointer to the original topic inside a JSON value'
            cand --to 'Destination topic (required unless --redrive)'
            cand --max-redrives 'Hold back records already redriven N times (read from their kafkaops.replay.redrives header) and report them instead; 1 to 100, always on'
            cand --rate 'Records per second (e.g. 500/s, 3000/m) or `unlimited`; no burst above one second''s worth [default: 1000/s]'
            cand --bytes-rate 'Also limit bytes per second (e.g. 2MiB/s)'
            cand --out 'Also write the plan JSON to this file (for `replay run --plan FILE`)'
            cand -b 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)'
            cand --brokers 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)'
            cand -X 'librdkafka property, repeatable, as kcat''s -X (e.g. -X security.protocol=SASL_SSL)'
            cand -F 'librdkafka properties file (key=value lines)'
            cand --config-file 'librdkafka properties file (key=value lines)'
            cand --profile 'Named profile from the config file (env: KAFKAOPS_PROFILE)'
            cand --timeout 'Timeout for each broker call'
            cand -o 'Output format: tables for people, JSON as a stable contract'
            cand --output 'Output format: tables for people, JSON as a stable contract'
            cand --color 'When to use colour (NO_COLOR is honoured by `auto`)'
            cand --redrive 'Send each DLQ record back to its original topic/partition, from its DLQ headers'
            cand --keep-dlq-headers 'Keep the DLQ error headers when redriving (they are stripped by default)'
            cand --into-source 'Allow the destination to be the source topic itself'
            cand --new-timestamps 'Let the broker stamp replayed records with the current time instead of keeping the original timestamps'
            cand --wide 'Show every table column in full instead of fitting tables to the terminal (COLUMNS)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'kafkaops;replay;run'= {
            cand --topic 'Source topic to read from'
            cand --from-file 'Replay the records of a JSON Lines file written by `dlq export` (possibly edited)'
            cand --from 'Start of the time window (RFC 3339, epoch ms, `now`, or relative such as -2h)'
            cand --until 'End of the time window, excluded'
            cand --partitions 'Only these source partitions, e.g. 0,3-5'
            cand --offsets 'Offsets per partition, both ends included, e.g. 3:1200-1500 (repeatable)'
            cand --key 'Only records with this key (repeatable; hex:... or base64:... for binary keys)'
            cand --keys-file 'Only records whose key is listed in this file, one key per line'
            cand --key-prefix 'Only records whose key starts with these bytes'
            cand --key-range 'Only records whose key is in START..END, compared byte-wise (END excluded)'
            cand --partitioner 'Partition by key with the producer''s partitioner: reads only the partitions of exact keys, and places keyed records in the destination accordingly'
            cand --placement 'Where records go whose original partition the destination lacks (without it, such a replay is refused): keep, key or fold'
            cand --dlq-category 'Only DLQ records in this category (an id shown by `dlq triage`)'
            cand --group-by 'Dimensions the category id was computed with, as `dlq triage --group-by` [default: exception,reason]'
            cand --reason-header 'Header that holds the failure reason (wins over the conventions)'
            cand --reason-json-pointer 'JSON pointer to the reason inside a JSON value, e.g. /error/message'
            cand --original-topic-header 'Header that holds the original topic'
            cand --original-topic-json-pointer 'JSON pointer to the original topic inside a JSON value'
            cand --to 'Destination topic (required unless --redrive)'
            cand --max-redrives 'Hold back records already redriven N times (read from their kafkaops.replay.redrives header) and report them instead; 1 to 100, always on'
            cand --plan 'Execute a plan file written by `replay plan` instead of a selection'
            cand --rate 'Records per second (e.g. 500/s, 3000/m) or `unlimited`; no burst above one second''s worth [default: 1000/s]'
            cand --bytes-rate 'Also limit bytes per second (e.g. 2MiB/s)'
            cand --owner 'Who is responsible for this replay (recorded in the audit log and on every record)'
            cand --reason 'Why the replay is done (recorded in the audit log)'
            cand --ticket 'Ticket or incident reference'
            cand --max-records 'Refuse plans with more records than this'
            cand --audit-log 'Audit log file [default: the profile''s audit_log, else $XDG_STATE_HOME/kafkaops/audit.jsonl]'
            cand --audit-topic 'Also publish audit events to this Kafka topic'
            cand -b 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)'
            cand --brokers 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)'
            cand -X 'librdkafka property, repeatable, as kcat''s -X (e.g. -X security.protocol=SASL_SSL)'
            cand -F 'librdkafka properties file (key=value lines)'
            cand --config-file 'librdkafka properties file (key=value lines)'
            cand --profile 'Named profile from the config file (env: KAFKAOPS_PROFILE)'
            cand --timeout 'Timeout for each broker call'
            cand -o 'Output format: tables for people, JSON as a stable contract'
            cand --output 'Output format: tables for people, JSON as a stable contract'
            cand --color 'When to use colour (NO_COLOR is honoured by `auto`)'
            cand --redrive 'Send each DLQ record back to its original topic/partition, from its DLQ headers'
            cand --keep-dlq-headers 'Keep the DLQ error headers when redriving (they are stripped by default)'
            cand --into-source 'Allow the destination to be the source topic itself'
            cand --new-timestamps 'Let the broker stamp replayed records with the current time instead of keeping the original timestamps'
            cand -y 'Do not ask for confirmation (required without a terminal)'
            cand --yes 'Do not ask for confirmation (required without a terminal)'
            cand --dry-run 'Resolve and show the plan, produce nothing'
            cand --allow-duplicate 'Send records again although an earlier replay already sent them (found in the replay states or in the destination''s provenance headers); recorded in the audit log'
            cand --skip-oversized 'Replay the other records when some are larger than the destination accepts (the producer''s message.max.bytes, the topic''s max.message.bytes); counted as skipped'
            cand --wide 'Show every table column in full instead of fitting tables to the terminal (COLUMNS)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'kafkaops;replay;resume'= {
            cand --rate 'Records per second (e.g. 500/s, 3000/m) or `unlimited`; no burst above one second''s worth [default: 1000/s]'
            cand --bytes-rate 'Also limit bytes per second (e.g. 2MiB/s)'
            cand --owner 'Who resumes it [default: the replay''s owner]'
            cand -b 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)'
            cand --brokers 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)'
            cand -X 'librdkafka property, repeatable, as kcat''s -X (e.g. -X security.protocol=SASL_SSL)'
            cand -F 'librdkafka properties file (key=value lines)'
            cand --config-file 'librdkafka properties file (key=value lines)'
            cand --profile 'Named profile from the config file (env: KAFKAOPS_PROFILE)'
            cand --timeout 'Timeout for each broker call'
            cand -o 'Output format: tables for people, JSON as a stable contract'
            cand --output 'Output format: tables for people, JSON as a stable contract'
            cand --color 'When to use colour (NO_COLOR is honoured by `auto`)'
            cand --skip-oversized 'From now on, skip records larger than the destination accepts (counted as skipped)'
            cand -y 'Do not ask for confirmation (required without a terminal)'
            cand --yes 'Do not ask for confirmation (required without a terminal)'
            cand --wide 'Show every table column in full instead of fitting tables to the terminal (COLUMNS)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'kafkaops;replay;status'= {
            cand -b 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)'
            cand --brokers 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)'
            cand -X 'librdkafka property, repeatable, as kcat''s -X (e.g. -X security.protocol=SASL_SSL)'
            cand -F 'librdkafka properties file (key=value lines)'
            cand --config-file 'librdkafka properties file (key=value lines)'
            cand --profile 'Named profile from the config file (env: KAFKAOPS_PROFILE)'
            cand --timeout 'Timeout for each broker call'
            cand -o 'Output format: tables for people, JSON as a stable contract'
            cand --output 'Output format: tables for people, JSON as a stable contract'
            cand --color 'When to use colour (NO_COLOR is honoured by `auto`)'
            cand --wide 'Show every table column in full instead of fitting tables to the terminal (COLUMNS)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'kafkaops;replay;audit'= {
            cand -b 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)'
            cand --brokers 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)'
            cand -X 'librdkafka property, repeatable, as kcat''s -X (e.g. -X security.protocol=SASL_SSL)'
            cand -F 'librdkafka properties file (key=value lines)'
            cand --config-file 'librdkafka properties file (key=value lines)'
            cand --profile 'Named profile from the config file (env: KAFKAOPS_PROFILE)'
            cand --timeout 'Timeout for each broker call'
            cand -o 'Output format: tables for people, JSON as a stable contract'
            cand --output 'Output format: tables for people, JSON as a stable contract'
            cand --color 'When to use colour (NO_COLOR is honoured by `auto`)'
            cand --wide 'Show every table column in full instead of fitting tables to the terminal (COLUMNS)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand verify 'Check the audit log''s hash chain: exit 1 if any line was edited, reordered or deleted'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'kafkaops;replay;audit;verify'= {
            cand --audit-log 'Audit log file [default: the profile''s audit_log, else $XDG_STATE_HOME/kafkaops/audit.jsonl]'
            cand -b 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)'
            cand --brokers 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)'
            cand -X 'librdkafka property, repeatable, as kcat''s -X (e.g. -X security.protocol=SASL_SSL)'
            cand -F 'librdkafka properties file (key=value lines)'
            cand --config-file 'librdkafka properties file (key=value lines)'
            cand --profile 'Named profile from the config file (env: KAFKAOPS_PROFILE)'
            cand --timeout 'Timeout for each broker call'
            cand -o 'Output format: tables for people, JSON as a stable contract'
            cand --output 'Output format: tables for people, JSON as a stable contract'
            cand --color 'When to use colour (NO_COLOR is honoured by `auto`)'
            cand --allow-missing-head 'Pass a log whose .head file is missing (its tail cannot be checked then)'
            cand --wide 'Show every table column in full instead of fitting tables to the terminal (COLUMNS)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'kafkaops;replay;audit;help'= {
            cand verify 'Check the audit log''s hash chain: exit 1 if any line was edited, reordered or deleted'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'kafkaops;replay;audit;help;verify'= {
        }
        &'kafkaops;replay;audit;help;help'= {
        }
        &'kafkaops;replay;rewind'= {
            cand --group 'The consumer group to rewind'
            cand --topic 'Only this topic [default: every topic the group committed on]'
            cand --partitions 'Only these partitions of --topic, e.g. 0,3-5'
            cand --to-time 'The first offset at or after this time (RFC 3339, epoch ms, or relative such as -2h)'
            cand --by 'This long before now, e.g. 2h (the same as --to-time -2h)'
            cand --to-offsets 'Explicit offset of a partition of --topic, e.g. 3:1200 (repeatable)'
            cand --to-replay-plan 'Where a plan file of `replay plan --out` starts reading, per partition of its source topic'
            cand --owner 'Who is responsible for this rewind (recorded in the audit log)'
            cand --reason 'Why the group reprocesses (recorded in the audit log)'
            cand --ticket 'Ticket or incident reference'
            cand --max-records 'Refuse rewinds that make the group reprocess more records than this'
            cand --out 'Save the plan to this file (for `replay run --plan FILE`) and change nothing'
            cand --audit-log 'Audit log file [default: the profile''s audit_log, else $XDG_STATE_HOME/kafkaops/audit.jsonl]'
            cand --audit-topic 'Also publish audit events to this Kafka topic'
            cand -b 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)'
            cand --brokers 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)'
            cand -X 'librdkafka property, repeatable, as kcat''s -X (e.g. -X security.protocol=SASL_SSL)'
            cand -F 'librdkafka properties file (key=value lines)'
            cand --config-file 'librdkafka properties file (key=value lines)'
            cand --profile 'Named profile from the config file (env: KAFKAOPS_PROFILE)'
            cand --timeout 'Timeout for each broker call'
            cand -o 'Output format: tables for people, JSON as a stable contract'
            cand --output 'Output format: tables for people, JSON as a stable contract'
            cand --color 'When to use colour (NO_COLOR is honoured by `auto`)'
            cand --to-earliest 'The log start of each partition'
            cand --to-latest 'The log end of each partition (skips every record not yet processed: needs --allow-forward)'
            cand --allow-forward 'Allow moving offsets forward, so the group never processes the records in between'
            cand --assume-inactive 'The broker cannot tell whether the group has members (no DescribeGroups): go ahead, you checked'
            cand --include-uncommitted 'Also move partitions the group never committed (left alone by default)'
            cand --dry-run 'Show the plan, change nothing'
            cand -y 'Do not ask for confirmation (required without a terminal)'
            cand --yes 'Do not ask for confirmation (required without a terminal)'
            cand --wide 'Show every table column in full instead of fitting tables to the terminal (COLUMNS)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'kafkaops;replay;undo'= {
            cand --owner 'Who undoes it [default: the rewind''s owner]'
            cand --reason 'Why [default: "undo of rewind ID"]'
            cand --max-records 'Refuse an undo that makes the group reprocess more records than this'
            cand --audit-log 'Audit log file [default: the profile''s audit_log, else $XDG_STATE_HOME/kafkaops/audit.jsonl]'
            cand --audit-topic 'Also publish audit events to this Kafka topic'
            cand -b 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)'
            cand --brokers 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)'
            cand -X 'librdkafka property, repeatable, as kcat''s -X (e.g. -X security.protocol=SASL_SSL)'
            cand -F 'librdkafka properties file (key=value lines)'
            cand --config-file 'librdkafka properties file (key=value lines)'
            cand --profile 'Named profile from the config file (env: KAFKAOPS_PROFILE)'
            cand --timeout 'Timeout for each broker call'
            cand -o 'Output format: tables for people, JSON as a stable contract'
            cand --output 'Output format: tables for people, JSON as a stable contract'
            cand --color 'When to use colour (NO_COLOR is honoured by `auto`)'
            cand --assume-inactive 'The broker cannot tell whether the group has members: go ahead, you checked'
            cand --dry-run 'Show the plan, change nothing'
            cand -y 'Do not ask for confirmation (required without a terminal)'
            cand --yes 'Do not ask for confirmation (required without a terminal)'
            cand --wide 'Show every table column in full instead of fitting tables to the terminal (COLUMNS)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'kafkaops;replay;help'= {
            cand plan 'Resolve a selection into an exact plan (offsets, counts, bytes, blast radius); produces nothing'
            cand run 'Execute a selection or a saved plan: confirmed, rate-limited, audited, checkpointed'
            cand resume 'Continue an interrupted or failed replay without sending any record twice'
            cand status 'List replays with their state, counts and rates'
            cand audit 'The audit log (same as `kafkaops audit`)'
            cand rewind 'Make one consumer group reprocess by moving its committed offsets: planned, guarded, confirmed, audited, undoable'
            cand undo 'Put a rewound group''s offsets back exactly where they were before the rewind'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'kafkaops;replay;help;plan'= {
        }
        &'kafkaops;replay;help;run'= {
        }
        &'kafkaops;replay;help;resume'= {
        }
        &'kafkaops;replay;help;status'= {
        }
        &'kafkaops;replay;help;audit'= {
            cand verify 'Check the audit log''s hash chain: exit 1 if any line was edited, reordered or deleted'
        }
        &'kafkaops;replay;help;audit;verify'= {
        }
        &'kafkaops;replay;help;rewind'= {
        }
        &'kafkaops;replay;help;undo'= {
        }
        &'kafkaops;replay;help;help'= {
        }
        &'kafkaops;lag'= {
            cand --group 'Consumer group to report (repeatable); default: every group the cluster lists'
            cand --group-regex 'Report the groups whose name matches this regex (with --group: in addition)'
            cand --topic 'Only this topic'
            cand --samples 'Snapshots to take for trend statuses'
            cand --interval 'Time between snapshots'
            cand --allowed-lag 'Lag (records) that still counts as caught up in trend statuses'
            cand --max-lag 'Breach when any partition''s lag exceeds N records'
            cand --max-total-lag 'Breach when a group''s total lag exceeds N records'
            cand --max-age 'Breach when any partition''s event age exceeds DURATION'
            cand --fail-on 'Breach when a group''s trend status is this bad (needs --samples 2 or more)'
            cand --watch 'Redraw every INTERVAL with consumption rate and time to catch up, until Ctrl-C'
            cand --out 'Write the report to FILE instead of stdout, replacing it atomically once the report is complete (each sample or --watch frame); a failed run keeps the old file'
            cand -b 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)'
            cand --brokers 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)'
            cand -X 'librdkafka property, repeatable, as kcat''s -X (e.g. -X security.protocol=SASL_SSL)'
            cand -F 'librdkafka properties file (key=value lines)'
            cand --config-file 'librdkafka properties file (key=value lines)'
            cand --profile 'Named profile from the config file (env: KAFKAOPS_PROFILE)'
            cand --timeout 'Timeout for each broker call'
            cand -o 'Output format: tables for people, JSON as a stable contract'
            cand --output 'Output format: tables for people, JSON as a stable contract'
            cand --color 'When to use colour (NO_COLOR is honoured by `auto`)'
            cand --no-age 'Skip event-age lookups (reads no records)'
            cand --wide 'Show every table column in full instead of fitting tables to the terminal (COLUMNS)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'kafkaops;serve'= {
            cand --listen 'Address to serve HTTP on [default: 127.0.0.1:9308]'
            cand --interval 'Time between collections [default: 30s]'
            cand --window 'Lag samples the trend status (OK, WARN, STALL, STOP, REWIND) is judged over [default: 10]'
            cand --group 'Consumer group to follow (repeatable); default: every group the cluster lists'
            cand --group-regex 'Follow the groups whose name matches this regex (with --group: in addition)'
            cand --topic 'Only this topic''s partitions'
            cand --allowed-lag 'Lag at or below which a partition counts as caught up in the trend [default: 0]'
            cand --dlq-topic 'Dead-letter topic to triage continuously (repeatable)'
            cand --rules 'Rules file deciding an action per DLQ category, as for `dlq triage`'
            cand --sla 'Triage SLA: a category whose oldest open record is older breaches it'
            cand --audit-log 'Audit log holding the handled marks [default: as for `dlq triage`]'
            cand --max-categories 'Categories counted one by one per DLQ topic; the rest share an overflow row [default: 1000]'
            cand --config 'Serve settings as TOML (keys named as these flags); flags given here win'
            cand -b 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)'
            cand --brokers 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)'
            cand -X 'librdkafka property, repeatable, as kcat''s -X (e.g. -X security.protocol=SASL_SSL)'
            cand -F 'librdkafka properties file (key=value lines)'
            cand --config-file 'librdkafka properties file (key=value lines)'
            cand --profile 'Named profile from the config file (env: KAFKAOPS_PROFILE)'
            cand --timeout 'Timeout for each broker call'
            cand -o 'Output format: tables for people, JSON as a stable contract'
            cand --output 'Output format: tables for people, JSON as a stable contract'
            cand --color 'When to use colour (NO_COLOR is honoured by `auto`)'
            cand --no-age 'Skip event ages (no record reads for lag)'
            cand --no-lag 'Collect no lag: DLQ topics only'
            cand --wide 'Show every table column in full instead of fitting tables to the terminal (COLUMNS)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'kafkaops;audit'= {
            cand -b 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)'
            cand --brokers 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)'
            cand -X 'librdkafka property, repeatable, as kcat''s -X (e.g. -X security.protocol=SASL_SSL)'
            cand -F 'librdkafka properties file (key=value lines)'
            cand --config-file 'librdkafka properties file (key=value lines)'
            cand --profile 'Named profile from the config file (env: KAFKAOPS_PROFILE)'
            cand --timeout 'Timeout for each broker call'
            cand -o 'Output format: tables for people, JSON as a stable contract'
            cand --output 'Output format: tables for people, JSON as a stable contract'
            cand --color 'When to use colour (NO_COLOR is honoured by `auto`)'
            cand --wide 'Show every table column in full instead of fitting tables to the terminal (COLUMNS)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand verify 'Check the audit log''s hash chain: exit 1 if any line was edited, reordered or deleted'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'kafkaops;audit;verify'= {
            cand --audit-log 'Audit log file [default: the profile''s audit_log, else $XDG_STATE_HOME/kafkaops/audit.jsonl]'
            cand -b 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)'
            cand --brokers 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)'
            cand -X 'librdkafka property, repeatable, as kcat''s -X (e.g. -X security.protocol=SASL_SSL)'
            cand -F 'librdkafka properties file (key=value lines)'
            cand --config-file 'librdkafka properties file (key=value lines)'
            cand --profile 'Named profile from the config file (env: KAFKAOPS_PROFILE)'
            cand --timeout 'Timeout for each broker call'
            cand -o 'Output format: tables for people, JSON as a stable contract'
            cand --output 'Output format: tables for people, JSON as a stable contract'
            cand --color 'When to use colour (NO_COLOR is honoured by `auto`)'
            cand --allow-missing-head 'Pass a log whose .head file is missing (its tail cannot be checked then)'
            cand --wide 'Show every table column in full instead of fitting tables to the terminal (COLUMNS)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'kafkaops;audit;help'= {
            cand verify 'Check the audit log''s hash chain: exit 1 if any line was edited, reordered or deleted'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'kafkaops;audit;help;verify'= {
        }
        &'kafkaops;audit;help;help'= {
        }
        &'kafkaops;drill'= {
            cand --topic 'Source topic whose window is replayed'
            cand --window 'Length of the window, ending at --at'
            cand --at 'End of the window (default: now)'
            cand --rate 'Rate ceiling, records per second'
            cand --to 'Replay into this existing topic instead of a new scratch topic'
            cand --owner 'Who runs the drill (audit log and provenance headers)'
            cand --ticket 'Ticket or change reference'
            cand --max-records 'Refuse windows with more records than this'
            cand --audit-log 'Audit log file [default: the profile''s audit_log, else $XDG_STATE_HOME/kafkaops/audit.jsonl]'
            cand --report 'Write the JSON report here too'
            cand --junit 'Write a JUnit XML report here, for CI test views'
            cand --verify 'Re-verify an earlier replay or drill by id instead of replaying'
            cand -b 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)'
            cand --brokers 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)'
            cand -X 'librdkafka property, repeatable, as kcat''s -X (e.g. -X security.protocol=SASL_SSL)'
            cand -F 'librdkafka properties file (key=value lines)'
            cand --config-file 'librdkafka properties file (key=value lines)'
            cand --profile 'Named profile from the config file (env: KAFKAOPS_PROFILE)'
            cand --timeout 'Timeout for each broker call'
            cand -o 'Output format: tables for people, JSON as a stable contract'
            cand --output 'Output format: tables for people, JSON as a stable contract'
            cand --color 'When to use colour (NO_COLOR is honoured by `auto`)'
            cand --cleanup 'Remove the scratch topic afterwards, where the broker allows it'
            cand -y 'Do not ask for confirmation (required without a terminal)'
            cand --yes 'Do not ask for confirmation (required without a terminal)'
            cand --wide 'Show every table column in full instead of fitting tables to the terminal (COLUMNS)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'kafkaops;demo'= {
            cand -b 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)'
            cand --brokers 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)'
            cand -X 'librdkafka property, repeatable, as kcat''s -X (e.g. -X security.protocol=SASL_SSL)'
            cand -F 'librdkafka properties file (key=value lines)'
            cand --config-file 'librdkafka properties file (key=value lines)'
            cand --profile 'Named profile from the config file (env: KAFKAOPS_PROFILE)'
            cand --timeout 'Timeout for each broker call'
            cand -o 'Output format: tables for people, JSON as a stable contract'
            cand --output 'Output format: tables for people, JSON as a stable contract'
            cand --color 'When to use colour (NO_COLOR is honoured by `auto`)'
            cand --wide 'Show every table column in full instead of fitting tables to the terminal (COLUMNS)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'kafkaops;sandbox'= {
            cand --listen 'Loopback address the sandbox broker listens on'
            cand --seed 'What to seed it with'
            cand --create-topic 'Also create an empty topic, NAME:PARTITIONS (repeatable), e.g. for benchmarks'
            cand -b 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)'
            cand --brokers 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)'
            cand -X 'librdkafka property, repeatable, as kcat''s -X (e.g. -X security.protocol=SASL_SSL)'
            cand -F 'librdkafka properties file (key=value lines)'
            cand --config-file 'librdkafka properties file (key=value lines)'
            cand --profile 'Named profile from the config file (env: KAFKAOPS_PROFILE)'
            cand --timeout 'Timeout for each broker call'
            cand -o 'Output format: tables for people, JSON as a stable contract'
            cand --output 'Output format: tables for people, JSON as a stable contract'
            cand --color 'When to use colour (NO_COLOR is honoured by `auto`)'
            cand --no-serve 'Seed, print the address and exit instead of serving (the broker stops with the process)'
            cand --wide 'Show every table column in full instead of fitting tables to the terminal (COLUMNS)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'kafkaops;topic'= {
            cand -b 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)'
            cand --brokers 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)'
            cand -X 'librdkafka property, repeatable, as kcat''s -X (e.g. -X security.protocol=SASL_SSL)'
            cand -F 'librdkafka properties file (key=value lines)'
            cand --config-file 'librdkafka properties file (key=value lines)'
            cand --profile 'Named profile from the config file (env: KAFKAOPS_PROFILE)'
            cand --timeout 'Timeout for each broker call'
            cand -o 'Output format: tables for people, JSON as a stable contract'
            cand --output 'Output format: tables for people, JSON as a stable contract'
            cand --color 'When to use colour (NO_COLOR is honoured by `auto`)'
            cand --wide 'Show every table column in full instead of fitting tables to the terminal (COLUMNS)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand describe 'Show partitions, leaders, replicas, log start/end and record counts'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'kafkaops;topic;describe'= {
            cand -t 'Topic to describe'
            cand --topic 'Topic to describe'
            cand --at 'Also look up the first offset at or after this time (offsets-for-times)'
            cand -b 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)'
            cand --brokers 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)'
            cand -X 'librdkafka property, repeatable, as kcat''s -X (e.g. -X security.protocol=SASL_SSL)'
            cand -F 'librdkafka properties file (key=value lines)'
            cand --config-file 'librdkafka properties file (key=value lines)'
            cand --profile 'Named profile from the config file (env: KAFKAOPS_PROFILE)'
            cand --timeout 'Timeout for each broker call'
            cand -o 'Output format: tables for people, JSON as a stable contract'
            cand --output 'Output format: tables for people, JSON as a stable contract'
            cand --color 'When to use colour (NO_COLOR is honoured by `auto`)'
            cand --wide 'Show every table column in full instead of fitting tables to the terminal (COLUMNS)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'kafkaops;topic;help'= {
            cand describe 'Show partitions, leaders, replicas, log start/end and record counts'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'kafkaops;topic;help;describe'= {
        }
        &'kafkaops;topic;help;help'= {
        }
        &'kafkaops;config'= {
            cand -b 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)'
            cand --brokers 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)'
            cand -X 'librdkafka property, repeatable, as kcat''s -X (e.g. -X security.protocol=SASL_SSL)'
            cand -F 'librdkafka properties file (key=value lines)'
            cand --config-file 'librdkafka properties file (key=value lines)'
            cand --profile 'Named profile from the config file (env: KAFKAOPS_PROFILE)'
            cand --timeout 'Timeout for each broker call'
            cand -o 'Output format: tables for people, JSON as a stable contract'
            cand --output 'Output format: tables for people, JSON as a stable contract'
            cand --color 'When to use colour (NO_COLOR is honoured by `auto`)'
            cand --wide 'Show every table column in full instead of fitting tables to the terminal (COLUMNS)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand show 'Print brokers and librdkafka properties after flags, env and profile are merged; secrets redacted'
            cand check 'Connect, authenticate and fetch metadata; exit 3 when the cluster cannot be reached'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'kafkaops;config;show'= {
            cand -b 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)'
            cand --brokers 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)'
            cand -X 'librdkafka property, repeatable, as kcat''s -X (e.g. -X security.protocol=SASL_SSL)'
            cand -F 'librdkafka properties file (key=value lines)'
            cand --config-file 'librdkafka properties file (key=value lines)'
            cand --profile 'Named profile from the config file (env: KAFKAOPS_PROFILE)'
            cand --timeout 'Timeout for each broker call'
            cand -o 'Output format: tables for people, JSON as a stable contract'
            cand --output 'Output format: tables for people, JSON as a stable contract'
            cand --color 'When to use colour (NO_COLOR is honoured by `auto`)'
            cand --wide 'Show every table column in full instead of fitting tables to the terminal (COLUMNS)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'kafkaops;config;check'= {
            cand -b 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)'
            cand --brokers 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)'
            cand -X 'librdkafka property, repeatable, as kcat''s -X (e.g. -X security.protocol=SASL_SSL)'
            cand -F 'librdkafka properties file (key=value lines)'
            cand --config-file 'librdkafka properties file (key=value lines)'
            cand --profile 'Named profile from the config file (env: KAFKAOPS_PROFILE)'
            cand --timeout 'Timeout for each broker call'
            cand -o 'Output format: tables for people, JSON as a stable contract'
            cand --output 'Output format: tables for people, JSON as a stable contract'
            cand --color 'When to use colour (NO_COLOR is honoured by `auto`)'
            cand --wide 'Show every table column in full instead of fitting tables to the terminal (COLUMNS)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'kafkaops;config;help'= {
            cand show 'Print brokers and librdkafka properties after flags, env and profile are merged; secrets redacted'
            cand check 'Connect, authenticate and fetch metadata; exit 3 when the cluster cannot be reached'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'kafkaops;config;help;show'= {
        }
        &'kafkaops;config;help;check'= {
        }
        &'kafkaops;config;help;help'= {
        }
        &'kafkaops;generate'= {
            cand --out-dir 'Directory that receives completions/ and man/'
            cand -b 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)'
            cand --brokers 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)'
            cand -X 'librdkafka property, repeatable, as kcat''s -X (e.g. -X security.protocol=SASL_SSL)'
            cand -F 'librdkafka properties file (key=value lines)'
            cand --config-file 'librdkafka properties file (key=value lines)'
            cand --profile 'Named profile from the config file (env: KAFKAOPS_PROFILE)'
            cand --timeout 'Timeout for each broker call'
            cand -o 'Output format: tables for people, JSON as a stable contract'
            cand --output 'Output format: tables for people, JSON as a stable contract'
            cand --color 'When to use colour (NO_COLOR is honoured by `auto`)'
            cand --wide 'Show every table column in full instead of fitting tables to the terminal (COLUMNS)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'kafkaops;help'= {
            cand dlq 'Triage a dead-letter topic: categories, ages, decisions; inspect and export records'
            cand replay 'Re-publish a bounded slice of a topic: plan, run, resume, status'
            cand lag 'Lag and event age per consumer group and partition, with thresholds for CI'
            cand serve 'Prometheus exporter: lag with trend status, event age and DLQ categories, on /metrics'
            cand audit 'Verify the replay audit log''s hash chain (exit 1 if a line was edited, reordered or deleted)'
            cand drill 'Replay drill for scheduled CI: replay a window into a scratch topic and prove parity'
            cand demo 'A guided tour on the embedded sandbox: triage, lag, a planned and audited redrive'
            cand sandbox 'Start an embedded, seeded Kafka-protocol broker to try kafkaops on (no Kafka needed)'
            cand topic 'Partitions, leaders, watermarks and offsets-for-times of one topic'
            cand config 'Show or check the effective connection settings'
            cand generate 'Write shell completions and man pages (used to refresh completions/ and man/)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'kafkaops;help;dlq'= {
            cand triage 'What is in a dead-letter topic: categories, counts, ages, origins, decisions'
            cand inspect 'Show records with headers decoded to typed values and payloads pretty-printed'
            cand export 'Write records as byte-exact JSON Lines, to fix by hand and replay from the file'
            cand mark 'Record categories as handled or discarded, so triage and its SLA count only open records'
        }
        &'kafkaops;help;dlq;triage'= {
        }
        &'kafkaops;help;dlq;inspect'= {
        }
        &'kafkaops;help;dlq;export'= {
        }
        &'kafkaops;help;dlq;mark'= {
        }
        &'kafkaops;help;replay'= {
            cand plan 'Resolve a selection into an exact plan (offsets, counts, bytes, blast radius); produces nothing'
            cand run 'Execute a selection or a saved plan: confirmed, rate-limited, audited, checkpointed'
            cand resume 'Continue an interrupted or failed replay without sending any record twice'
            cand status 'List replays with their state, counts and rates'
            cand audit 'The audit log (same as `kafkaops audit`)'
            cand rewind 'Make one consumer group reprocess by moving its committed offsets: planned, guarded, confirmed, audited, undoable'
            cand undo 'Put a rewound group''s offsets back exactly where they were before the rewind'
        }
        &'kafkaops;help;replay;plan'= {
        }
        &'kafkaops;help;replay;run'= {
        }
        &'kafkaops;help;replay;resume'= {
        }
        &'kafkaops;help;replay;status'= {
        }
        &'kafkaops;help;replay;audit'= {
            cand verify 'Check the audit log''s hash chain: exit 1 if any line was edited, reordered or deleted'
        }
        &'kafkaops;help;replay;audit;verify'= {
        }
        &'kafkaops;help;replay;rewind'= {
        }
        &'kafkaops;help;replay;undo'= {
        }
        &'kafkaops;help;lag'= {
        }
        &'kafkaops;help;serve'= {
        }
        &'kafkaops;help;audit'= {
            cand verify 'Check the audit log''s hash chain: exit 1 if any line was edited, reordered or deleted'
        }
        &'kafkaops;help;audit;verify'= {
        }
        &'kafkaops;help;drill'= {
        }
        &'kafkaops;help;demo'= {
        }
        &'kafkaops;help;sandbox'= {
        }
        &'kafkaops;help;topic'= {
            cand describe 'Show partitions, leaders, replicas, log start/end and record counts'
        }
        &'kafkaops;help;topic;describe'= {
        }
        &'kafkaops;help;config'= {
            cand show 'Print brokers and librdkafka properties after flags, env and profile are merged; secrets redacted'
            cand check 'Connect, authenticate and fetch metadata; exit 3 when the cluster cannot be reached'
        }
        &'kafkaops;help;config;show'= {
        }
        &'kafkaops;help;config;check'= {
        }
        &'kafkaops;help;generate'= {
        }
        &'kafkaops;help;help'= {
        }
    ]
    $completions[$command]
}
