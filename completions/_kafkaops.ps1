
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'kafkaops' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'kafkaops'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'kafkaops' {
            [CompletionResult]::new('-b', '-b', [CompletionResultType]::ParameterName, 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)')
            [CompletionResult]::new('--brokers', '--brokers', [CompletionResultType]::ParameterName, 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)')
            [CompletionResult]::new('-X', '-X ', [CompletionResultType]::ParameterName, 'librdkafka property, repeatable, as kcat''s -X (e.g. -X security.protocol=SASL_SSL)')
            [CompletionResult]::new('-F', '-F ', [CompletionResultType]::ParameterName, 'librdkafka properties file (key=value lines)')
            [CompletionResult]::new('--config-file', '--config-file', [CompletionResultType]::ParameterName, 'librdkafka properties file (key=value lines)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named profile from the config file (env: KAFKAOPS_PROFILE)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout for each broker call')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON as a stable contract')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON as a stable contract')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--wide', '--wide', [CompletionResultType]::ParameterName, 'Show every table column in full instead of fitting tables to the terminal (COLUMNS)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('dlq', 'dlq', [CompletionResultType]::ParameterValue, 'Triage a dead-letter topic: categories, ages, decisions; inspect and export records')
            [CompletionResult]::new('replay', 'replay', [CompletionResultType]::ParameterValue, 'Re-publish a bounded slice of a topic: plan, run, resume, status')
            [CompletionResult]::new('lag', 'lag', [CompletionResultType]::ParameterValue, 'Lag and event age per consumer group and partition, with thresholds for CI')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Prometheus exporter: lag with trend status, event age and DLQ categories, on /metrics')
            [CompletionResult]::new('audit', 'audit', [CompletionResultType]::ParameterValue, 'Verify the replay audit log''s hash chain (exit 1 if a line was edited, reordered or deleted)')
            [CompletionResult]::new('drill', 'drill', [CompletionResultType]::ParameterValue, 'Replay drill for scheduled CI: replay a window into a scratch topic and prove parity')
            [CompletionResult]::new('demo', 'demo', [CompletionResultType]::ParameterValue, 'A guided tour on the embedded sandbox: triage, lag, a planned and audited redrive')
            [CompletionResult]::new('sandbox', 'sandbox', [CompletionResultType]::ParameterValue, 'Start an embedded, seeded Kafka-protocol broker to try kafkaops on (no Kafka needed)')
            [CompletionResult]::new('topic', 'topic', [CompletionResultType]::ParameterValue, 'Partitions, leaders, watermarks and offsets-for-times of one topic')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Show or check the effective connection settings')
            [CompletionResult]::new('generate', 'generate', [CompletionResultType]::ParameterValue, 'Write shell completions and man pages (used to refresh completions/ and man/)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'kafkaops;dlq' {
            [CompletionResult]::new('-b', '-b', [CompletionResultType]::ParameterName, 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)')
            [CompletionResult]::new('--brokers', '--brokers', [CompletionResultType]::ParameterName, 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)')
            [CompletionResult]::new('-X', '-X ', [CompletionResultType]::ParameterName, 'librdkafka property, repeatable, as kcat''s -X (e.g. -X security.protocol=SASL_SSL)')
            [CompletionResult]::new('-F', '-F ', [CompletionResultType]::ParameterName, 'librdkafka properties file (key=value lines)')
            [CompletionResult]::new('--config-file', '--config-file', [CompletionResultType]::ParameterName, 'librdkafka properties file (key=value lines)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named profile from the config file (env: KAFKAOPS_PROFILE)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout for each broker call')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON as a stable contract')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON as a stable contract')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--wide', '--wide', [CompletionResultType]::ParameterName, 'Show every table column in full instead of fitting tables to the terminal (COLUMNS)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('triage', 'triage', [CompletionResultType]::ParameterValue, 'What is in a dead-letter topic: categories, counts, ages, origins, decisions')
            [CompletionResult]::new('inspect', 'inspect', [CompletionResultType]::ParameterValue, 'Show records with headers decoded to typed values and payloads pretty-printed')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Write records as byte-exact JSON Lines, to fix by hand and replay from the file')
            [CompletionResult]::new('mark', 'mark', [CompletionResultType]::ParameterValue, 'Record categories as handled or discarded, so triage and its SLA count only open records')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'kafkaops;dlq;triage' {
            [CompletionResult]::new('--topic', '--topic', [CompletionResultType]::ParameterName, 'The dead-letter topic')
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'Only records dead-lettered at or after this time (RFC 3339, date, epoch ms, -2h)')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'Only records dead-lettered before this time')
            [CompletionResult]::new('--partitions', '--partitions', [CompletionResultType]::ParameterName, 'Only these partitions of the dead-letter topic, e.g. 0,3-5')
            [CompletionResult]::new('--max-records', '--max-records', [CompletionResultType]::ParameterName, 'Read at most this many records, spread over the partitions')
            [CompletionResult]::new('--rules', '--rules', [CompletionResultType]::ParameterName, 'Rules file (TOML, or JSON with a .json extension) mapping categories to actions and owners')
            [CompletionResult]::new('--sla', '--sla', [CompletionResultType]::ParameterName, 'Triage SLA: mark categories whose oldest record is older than this (e.g. 24h)')
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'Exit 1 after printing the report when the condition holds (for scheduled alerting)')
            [CompletionResult]::new('--max-categories', '--max-categories', [CompletionResultType]::ParameterName, 'Keep at most this many categories; records of further categories are counted in an overflow row')
            [CompletionResult]::new('-j', '-j', [CompletionResultType]::ParameterName, 'Read with this many consumers in parallel, each over its own partitions [default: one per core, up to 4, for scans of 100,000 records or more]')
            [CompletionResult]::new('--threads', '--threads', [CompletionResultType]::ParameterName, 'Read with this many consumers in parallel, each over its own partitions [default: one per core, up to 4, for scans of 100,000 records or more]')
            [CompletionResult]::new('--audit-log', '--audit-log', [CompletionResultType]::ParameterName, 'Audit log holding the handled marks [default: the profile''s audit_log, else the state dir]')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Write the report to FILE (atomically, only when complete: a failed run keeps the old file)')
            [CompletionResult]::new('--group-by', '--group-by', [CompletionResultType]::ParameterName, 'Dimensions that define a category: exception, cause, reason, original-topic, group, stage, convention, key, partition')
            [CompletionResult]::new('--reason-header', '--reason-header', [CompletionResultType]::ParameterName, 'Header that holds the failure reason (wins over the conventions)')
            [CompletionResult]::new('--reason-json-pointer', '--reason-json-pointer', [CompletionResultType]::ParameterName, 'JSON pointer to the reason inside a JSON value, e.g. /error/message')
            [CompletionResult]::new('--original-topic-header', '--original-topic-header', [CompletionResultType]::ParameterName, 'Header that holds the original topic')
            [CompletionResult]::new('--original-topic-json-pointer', '--original-topic-json-pointer', [CompletionResultType]::ParameterName, 'JSON pointer to the original topic inside a JSON value')
            [CompletionResult]::new('-b', '-b', [CompletionResultType]::ParameterName, 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)')
            [CompletionResult]::new('--brokers', '--brokers', [CompletionResultType]::ParameterName, 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)')
            [CompletionResult]::new('-X', '-X ', [CompletionResultType]::ParameterName, 'librdkafka property, repeatable, as kcat''s -X (e.g. -X security.protocol=SASL_SSL)')
            [CompletionResult]::new('-F', '-F ', [CompletionResultType]::ParameterName, 'librdkafka properties file (key=value lines)')
            [CompletionResult]::new('--config-file', '--config-file', [CompletionResultType]::ParameterName, 'librdkafka properties file (key=value lines)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named profile from the config file (env: KAFKAOPS_PROFILE)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout for each broker call')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON as a stable contract')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON as a stable contract')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--wide', '--wide', [CompletionResultType]::ParameterName, 'Show every table column in full instead of fitting tables to the terminal (COLUMNS)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kafkaops;dlq;inspect' {
            [CompletionResult]::new('--topic', '--topic', [CompletionResultType]::ParameterName, 'The dead-letter topic')
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'Only records dead-lettered at or after this time (RFC 3339, date, epoch ms, -2h)')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'Only records dead-lettered before this time')
            [CompletionResult]::new('--partitions', '--partitions', [CompletionResultType]::ParameterName, 'Only these partitions of the dead-letter topic, e.g. 0,3-5')
            [CompletionResult]::new('--max-records', '--max-records', [CompletionResultType]::ParameterName, 'Read at most this many records, spread over the partitions')
            [CompletionResult]::new('--offset', '--offset', [CompletionResultType]::ParameterName, 'A record''s coordinates PARTITION:OFFSET (repeatable)')
            [CompletionResult]::new('--category', '--category', [CompletionResultType]::ParameterName, 'A category ID from `dlq triage`')
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'Records with exactly this key (text, or base64:... for binary keys)')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'Show at most this many records')
            [CompletionResult]::new('--group-by', '--group-by', [CompletionResultType]::ParameterName, 'Dimensions that define a category: exception, cause, reason, original-topic, group, stage, convention, key, partition')
            [CompletionResult]::new('--reason-header', '--reason-header', [CompletionResultType]::ParameterName, 'Header that holds the failure reason (wins over the conventions)')
            [CompletionResult]::new('--reason-json-pointer', '--reason-json-pointer', [CompletionResultType]::ParameterName, 'JSON pointer to the reason inside a JSON value, e.g. /error/message')
            [CompletionResult]::new('--original-topic-header', '--original-topic-header', [CompletionResultType]::ParameterName, 'Header that holds the original topic')
            [CompletionResult]::new('--original-topic-json-pointer', '--original-topic-json-pointer', [CompletionResultType]::ParameterName, 'JSON pointer to the original topic inside a JSON value')
            [CompletionResult]::new('-b', '-b', [CompletionResultType]::ParameterName, 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)')
            [CompletionResult]::new('--brokers', '--brokers', [CompletionResultType]::ParameterName, 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)')
            [CompletionResult]::new('-X', '-X ', [CompletionResultType]::ParameterName, 'librdkafka property, repeatable, as kcat''s -X (e.g. -X security.protocol=SASL_SSL)')
            [CompletionResult]::new('-F', '-F ', [CompletionResultType]::ParameterName, 'librdkafka properties file (key=value lines)')
            [CompletionResult]::new('--config-file', '--config-file', [CompletionResultType]::ParameterName, 'librdkafka properties file (key=value lines)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named profile from the config file (env: KAFKAOPS_PROFILE)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout for each broker call')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON as a stable contract')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON as a stable contract')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--wide', '--wide', [CompletionResultType]::ParameterName, 'Show every table column in full instead of fitting tables to the terminal (COLUMNS)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kafkaops;dlq;export' {
            [CompletionResult]::new('--topic', '--topic', [CompletionResultType]::ParameterName, 'The dead-letter topic')
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'Only records dead-lettered at or after this time (RFC 3339, date, epoch ms, -2h)')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'Only records dead-lettered before this time')
            [CompletionResult]::new('--partitions', '--partitions', [CompletionResultType]::ParameterName, 'Only these partitions of the dead-letter topic, e.g. 0,3-5')
            [CompletionResult]::new('--max-records', '--max-records', [CompletionResultType]::ParameterName, 'Read at most this many records, spread over the partitions')
            [CompletionResult]::new('--offset', '--offset', [CompletionResultType]::ParameterName, 'A record''s coordinates PARTITION:OFFSET (repeatable)')
            [CompletionResult]::new('--category', '--category', [CompletionResultType]::ParameterName, 'A category ID from `dlq triage`')
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'Records with exactly this key (text, or base64:... for binary keys)')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'Export at most this many records (default: all that match)')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Write to this file instead of stdout (it appears only when complete)')
            [CompletionResult]::new('--group-by', '--group-by', [CompletionResultType]::ParameterName, 'Dimensions that define a category: exception, cause, reason, original-topic, group, stage, convention, key, partition')
            [CompletionResult]::new('--reason-header', '--reason-header', [CompletionResultType]::ParameterName, 'Header that holds the failure reason (wins over the conventions)')
            [CompletionResult]::new('--reason-json-pointer', '--reason-json-pointer', [CompletionResultType]::ParameterName, 'JSON pointer to the reason inside a JSON value, e.g. /error/message')
            [CompletionResult]::new('--original-topic-header', '--original-topic-header', [CompletionResultType]::ParameterName, 'Header that holds the original topic')
            [CompletionResult]::new('--original-topic-json-pointer', '--original-topic-json-pointer', [CompletionResultType]::ParameterName, 'JSON pointer to the original topic inside a JSON value')
            [CompletionResult]::new('-b', '-b', [CompletionResultType]::ParameterName, 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)')
            [CompletionResult]::new('--brokers', '--brokers', [CompletionResultType]::ParameterName, 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)')
            [CompletionResult]::new('-X', '-X ', [CompletionResultType]::ParameterName, 'librdkafka property, repeatable, as kcat''s -X (e.g. -X security.protocol=SASL_SSL)')
            [CompletionResult]::new('-F', '-F ', [CompletionResultType]::ParameterName, 'librdkafka properties file (key=value lines)')
            [CompletionResult]::new('--config-file', '--config-file', [CompletionResultType]::ParameterName, 'librdkafka properties file (key=value lines)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named profile from the config file (env: KAFKAOPS_PROFILE)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout for each broker call')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON as a stable contract')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON as a stable contract')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace an existing --out file')
            [CompletionResult]::new('--wide', '--wide', [CompletionResultType]::ParameterName, 'Show every table column in full instead of fitting tables to the terminal (COLUMNS)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kafkaops;dlq;mark' {
            [CompletionResult]::new('--topic', '--topic', [CompletionResultType]::ParameterName, 'The dead-letter topic')
            [CompletionResult]::new('--category', '--category', [CompletionResultType]::ParameterName, 'A category ID from `dlq triage` (repeatable)')
            [CompletionResult]::new('--owner', '--owner', [CompletionResultType]::ParameterName, 'Who decided (recorded in the audit log)')
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why (recorded in the audit log)')
            [CompletionResult]::new('--ticket', '--ticket', [CompletionResultType]::ParameterName, 'A ticket reference (recorded in the audit log)')
            [CompletionResult]::new('--up-to', '--up-to', [CompletionResultType]::ParameterName, 'Mark only up to this offset of a partition, exclusive, as PARTITION:OFFSET (repeatable; only the partitions named are marked) [default: every partition up to its log end now]')
            [CompletionResult]::new('--audit-log', '--audit-log', [CompletionResultType]::ParameterName, 'The audit log the mark is appended to [default: the profile''s audit_log, else the state dir]')
            [CompletionResult]::new('--group-by', '--group-by', [CompletionResultType]::ParameterName, 'Dimensions that define a category: exception, cause, reason, original-topic, group, stage, convention, key, partition')
            [CompletionResult]::new('--reason-header', '--reason-header', [CompletionResultType]::ParameterName, 'Header that holds the failure reason (wins over the conventions)')
            [CompletionResult]::new('--reason-json-pointer', '--reason-json-pointer', [CompletionResultType]::ParameterName, 'JSON pointer to the reason inside a JSON value, e.g. /error/message')
            [CompletionResult]::new('--original-topic-header', '--original-topic-header', [CompletionResultType]::ParameterName, 'Header that holds the original topic')
            [CompletionResult]::new('--original-topic-json-pointer', '--original-topic-json-pointer', [CompletionResultType]::ParameterName, 'JSON pointer to the original topic inside a JSON value')
            [CompletionResult]::new('-b', '-b', [CompletionResultType]::ParameterName, 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)')
            [CompletionResult]::new('--brokers', '--brokers', [CompletionResultType]::ParameterName, 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)')
            [CompletionResult]::new('-X', '-X ', [CompletionResultType]::ParameterName, 'librdkafka property, repeatable, as kcat''s -X (e.g. -X security.protocol=SASL_SSL)')
            [CompletionResult]::new('-F', '-F ', [CompletionResultType]::ParameterName, 'librdkafka properties file (key=value lines)')
            [CompletionResult]::new('--config-file', '--config-file', [CompletionResultType]::ParameterName, 'librdkafka properties file (key=value lines)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named profile from the config file (env: KAFKAOPS_PROFILE)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout for each broker call')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON as a stable contract')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON as a stable contract')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--handled', '--handled', [CompletionResultType]::ParameterName, 'The records were dealt with (fixed by hand, re-published another way)')
            [CompletionResult]::new('--discarded', '--discarded', [CompletionResultType]::ParameterName, 'The records are deliberately dropped')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would be marked and stop')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed without a terminal)')
            [CompletionResult]::new('--wide', '--wide', [CompletionResultType]::ParameterName, 'Show every table column in full instead of fitting tables to the terminal (COLUMNS)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kafkaops;dlq;help' {
            [CompletionResult]::new('triage', 'triage', [CompletionResultType]::ParameterValue, 'What is in a dead-letter topic: categories, counts, ages, origins, decisions')
            [CompletionResult]::new('inspect', 'inspect', [CompletionResultType]::ParameterValue, 'Show records with headers decoded to typed values and payloads pretty-printed')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Write records as byte-exact JSON Lines, to fix by hand and replay from the file')
            [CompletionResult]::new('mark', 'mark', [CompletionResultType]::ParameterValue, 'Record categories as handled or discarded, so triage and its SLA count only open records')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'kafkaops;dlq;help;triage' {
            break
        }
        'kafkaops;dlq;help;inspect' {
            break
        }
        'kafkaops;dlq;help;export' {
            break
        }
        'kafkaops;dlq;help;mark' {
            break
        }
        'kafkaops;dlq;help;help' {
            break
        }
        'kafkaops;replay' {
            [CompletionResult]::new('-b', '-b', [CompletionResultType]::ParameterName, 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)')
            [CompletionResult]::new('--brokers', '--brokers', [CompletionResultType]::ParameterName, 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)')
            [CompletionResult]::new('-X', '-X ', [CompletionResultType]::ParameterName, 'librdkafka property, repeatable, as kcat''s -X (e.g. -X security.protocol=SASL_SSL)')
            [CompletionResult]::new('-F', '-F ', [CompletionResultType]::ParameterName, 'librdkafka properties file (key=value lines)')
            [CompletionResult]::new('--config-file', '--config-file', [CompletionResultType]::ParameterName, 'librdkafka properties file (key=value lines)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named profile from the config file (env: KAFKAOPS_PROFILE)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout for each broker call')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON as a stable contract')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON as a stable contract')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--wide', '--wide', [CompletionResultType]::ParameterName, 'Show every table column in full instead of fitting tables to the terminal (COLUMNS)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('plan', 'plan', [CompletionResultType]::ParameterValue, 'Resolve a selection into an exact plan (offsets, counts, bytes, blast radius); produces nothing')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Execute a selection or a saved plan: confirmed, rate-limited, audited, checkpointed')
            [CompletionResult]::new('resume', 'resume', [CompletionResultType]::ParameterValue, 'Continue an interrupted or failed replay without sending any record twice')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'List replays with their state, counts and rates')
            [CompletionResult]::new('audit', 'audit', [CompletionResultType]::ParameterValue, 'The audit log (same as `kafkaops audit`)')
            [CompletionResult]::new('rewind', 'rewind', [CompletionResultType]::ParameterValue, 'Make one consumer group reprocess by moving its committed offsets: planned, guarded, confirmed, audited, undoable')
            [CompletionResult]::new('undo', 'undo', [CompletionResultType]::ParameterValue, 'Put a rewound group''s offsets back exactly where they were before the rewind')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'kafkaops;replay;plan' {
            [CompletionResult]::new('--topic', '--topic', [CompletionResultType]::ParameterName, 'Source topic to read from')
            [CompletionResult]::new('--from-file', '--from-file', [CompletionResultType]::ParameterName, 'Replay the records of a JSON Lines file written by `dlq export` (possibly edited)')
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'Start of the time window (RFC 3339, epoch ms, `now`, or relative such as -2h)')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'End of the time window, excluded')
            [CompletionResult]::new('--partitions', '--partitions', [CompletionResultType]::ParameterName, 'Only these source partitions, e.g. 0,3-5')
            [CompletionResult]::new('--offsets', '--offsets', [CompletionResultType]::ParameterName, 'Offsets per partition, both ends included, e.g. 3:1200-1500 (repeatable)')
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'Only records with this key (repeatable; hex:... or base64:... for binary keys)')
            [CompletionResult]::new('--keys-file', '--keys-file', [CompletionResultType]::ParameterName, 'Only records whose key is listed in this file, one key per line')
            [CompletionResult]::new('--key-prefix', '--key-prefix', [CompletionResultType]::ParameterName, 'Only records whose key starts with these bytes')
            [CompletionResult]::new('--key-range', '--key-range', [CompletionResultType]::ParameterName, 'Only records whose key is in START..END, compared byte-wise (END excluded)')
            [CompletionResult]::new('--partitioner', '--partitioner', [CompletionResultType]::ParameterName, 'Partition by key with the producer''s partitioner: reads only the partitions of exact keys, and places keyed records in the destination accordingly')
            [CompletionResult]::new('--placement', '--placement', [CompletionResultType]::ParameterName, 'Where records go whose original partition the destination lacks (without it, such a replay is refused): keep, key or fold')
            [CompletionResult]::new('--dlq-category', '--dlq-category', [CompletionResultType]::ParameterName, 'Only DLQ records in this category (an id shown by `dlq triage`)')
            [CompletionResult]::new('--group-by', '--group-by', [CompletionResultType]::ParameterName, 'Dimensions the category id was computed with, as `dlq triage --group-by` [default: exception,reason]')
            [CompletionResult]::new('--reason-header', '--reason-header', [CompletionResultType]::ParameterName, 'Header that holds the failure reason (wins over the conventions)')
            [CompletionResult]::new('--reason-json-pointer', '--reason-json-pointer', [CompletionResultType]::ParameterName, 'JSON pointer to the reason inside a JSON value, e.g. /error/message')
            [CompletionResult]::new('--original-topic-header', '--original-topic-header', [CompletionResultType]::ParameterName, 'Header that holds the original topic')
            [CompletionResult]::new('--original-topic-json-pointer', '--original-topic-json-pointer', [CompletionResultType]::ParameterName, 'JSON pointer to the original topic inside a JSON value')
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'Destination topic (required unless --redrive)')
            [CompletionResult]::new('--max-redrives', '--max-redrives', [CompletionResultType]::ParameterName, 'Hold back records already redriven N times (read from their kafkaops.replay.redrives header) and report them instead; 1 to 100, always on')
            [CompletionResult]::new('--rate', '--rate', [CompletionResultType]::ParameterName, 'Records per second (e.g. 500/s, 3000/m) or `unlimited`; no burst above one second''s worth [default: 1000/s]')
            [CompletionResult]::new('--bytes-rate', '--bytes-rate', [CompletionResultType]::ParameterName, 'Also limit bytes per second (e.g. 2MiB/s)')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Also write the plan JSON to this file (for `replay run --plan FILE`)')
            [CompletionResult]::new('-b', '-b', [CompletionResultType]::ParameterName, 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)')
            [CompletionResult]::new('--brokers', '--brokers', [CompletionResultType]::ParameterName, 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)')
            [CompletionResult]::new('-X', '-X ', [CompletionResultType]::ParameterName, 'librdkafka property, repeatable, as kcat''s -X (e.g. -X security.protocol=SASL_SSL)')
            [CompletionResult]::new('-F', '-F ', [CompletionResultType]::ParameterName, 'librdkafka properties file (key=value lines)')
            [CompletionResult]::new('--config-file', '--config-file', [CompletionResultType]::ParameterName, 'librdkafka properties file (key=value lines)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named profile from the config file (env: KAFKAOPS_PROFILE)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout for each broker call')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON as a stable contract')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON as a stable contract')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--redrive', '--redrive', [CompletionResultType]::ParameterName, 'Send each DLQ record back to its original topic/partition, from its DLQ headers')
            [CompletionResult]::new('--keep-dlq-headers', '--keep-dlq-headers', [CompletionResultType]::ParameterName, 'Keep the DLQ error headers when redriving (they are stripped by default)')
            [CompletionResult]::new('--into-source', '--into-source', [CompletionResultType]::ParameterName, 'Allow the destination to be the source topic itself')
            [CompletionResult]::new('--new-timestamps', '--new-timestamps', [CompletionResultType]::ParameterName, 'Let the broker stamp replayed records with the current time instead of keeping the original timestamps')
            [CompletionResult]::new('--wide', '--wide', [CompletionResultType]::ParameterName, 'Show every table column in full instead of fitting tables to the terminal (COLUMNS)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kafkaops;replay;run' {
            [CompletionResult]::new('--topic', '--topic', [CompletionResultType]::ParameterName, 'Source topic to read from')
            [CompletionResult]::new('--from-file', '--from-file', [CompletionResultType]::ParameterName, 'Replay the records of a JSON Lines file written by `dlq export` (possibly edited)')
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'Start of the time window (RFC 3339, epoch ms, `now`, or relative such as -2h)')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'End of the time window, excluded')
            [CompletionResult]::new('--partitions', '--partitions', [CompletionResultType]::ParameterName, 'Only these source partitions, e.g. 0,3-5')
            [CompletionResult]::new('--offsets', '--offsets', [CompletionResultType]::ParameterName, 'Offsets per partition, both ends included, e.g. 3:1200-1500 (repeatable)')
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'Only records with this key (repeatable; hex:... or base64:... for binary keys)')
            [CompletionResult]::new('--keys-file', '--keys-file', [CompletionResultType]::ParameterName, 'Only records whose key is listed in this file, one key per line')
            [CompletionResult]::new('--key-prefix', '--key-prefix', [CompletionResultType]::ParameterName, 'Only records whose key starts with these bytes')
            [CompletionResult]::new('--key-range', '--key-range', [CompletionResultType]::ParameterName, 'Only records whose key is in START..END, compared byte-wise (END excluded)')
            [CompletionResult]::new('--partitioner', '--partitioner', [CompletionResultType]::ParameterName, 'Partition by key with the producer''s partitioner: reads only the partitions of exact keys, and places keyed records in the destination accordingly')
            [CompletionResult]::new('--placement', '--placement', [CompletionResultType]::ParameterName, 'Where records go whose original partition the destination lacks (without it, such a replay is refused): keep, key or fold')
            [CompletionResult]::new('--dlq-category', '--dlq-category', [CompletionResultType]::ParameterName, 'Only DLQ records in this category (an id shown by `dlq triage`)')
            [CompletionResult]::new('--group-by', '--group-by', [CompletionResultType]::ParameterName, 'Dimensions the category id was computed with, as `dlq triage --group-by` [default: exception,reason]')
            [CompletionResult]::new('--reason-header', '--reason-header', [CompletionResultType]::ParameterName, 'Header that holds the failure reason (wins over the conventions)')
            [CompletionResult]::new('--reason-json-pointer', '--reason-json-pointer', [CompletionResultType]::ParameterName, 'JSON pointer to the reason inside a JSON value, e.g. /error/message')
            [CompletionResult]::new('--original-topic-header', '--original-topic-header', [CompletionResultType]::ParameterName, 'Header that holds the original topic')
            [CompletionResult]::new('--original-topic-json-pointer', '--original-topic-json-pointer', [CompletionResultType]::ParameterName, 'JSON pointer to the original topic inside a JSON value')
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'Destination topic (required unless --redrive)')
            [CompletionResult]::new('--max-redrives', '--max-redrives', [CompletionResultType]::ParameterName, 'Hold back records already redriven N times (read from their kafkaops.replay.redrives header) and report them instead; 1 to 100, always on')
            [CompletionResult]::new('--plan', '--plan', [CompletionResultType]::ParameterName, 'Execute a plan file written by `replay plan` instead of a selection')
            [CompletionResult]::new('--rate', '--rate', [CompletionResultType]::ParameterName, 'Records per second (e.g. 500/s, 3000/m) or `unlimited`; no burst above one second''s worth [default: 1000/s]')
            [CompletionResult]::new('--bytes-rate', '--bytes-rate', [CompletionResultType]::ParameterName, 'Also limit bytes per second (e.g. 2MiB/s)')
            [CompletionResult]::new('--owner', '--owner', [CompletionResultType]::ParameterName, 'Who is responsible for this replay (recorded in the audit log and on every record)')
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why the replay is done (recorded in the audit log)')
            [CompletionResult]::new('--ticket', '--ticket', [CompletionResultType]::ParameterName, 'Ticket or incident reference')
            [CompletionResult]::new('--max-records', '--max-records', [CompletionResultType]::ParameterName, 'Refuse plans with more records than this')
            [CompletionResult]::new('--audit-log', '--audit-log', [CompletionResultType]::ParameterName, 'Audit log file [default: the profile''s audit_log, else $XDG_STATE_HOME/kafkaops/audit.jsonl]')
            [CompletionResult]::new('--audit-topic', '--audit-topic', [CompletionResultType]::ParameterName, 'Also publish audit events to this Kafka topic')
            [CompletionResult]::new('-b', '-b', [CompletionResultType]::ParameterName, 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)')
            [CompletionResult]::new('--brokers', '--brokers', [CompletionResultType]::ParameterName, 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)')
            [CompletionResult]::new('-X', '-X ', [CompletionResultType]::ParameterName, 'librdkafka property, repeatable, as kcat''s -X (e.g. -X security.protocol=SASL_SSL)')
            [CompletionResult]::new('-F', '-F ', [CompletionResultType]::ParameterName, 'librdkafka properties file (key=value lines)')
            [CompletionResult]::new('--config-file', '--config-file', [CompletionResultType]::ParameterName, 'librdkafka properties file (key=value lines)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named profile from the config file (env: KAFKAOPS_PROFILE)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout for each broker call')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON as a stable contract')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON as a stable contract')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--redrive', '--redrive', [CompletionResultType]::ParameterName, 'Send each DLQ record back to its original topic/partition, from its DLQ headers')
            [CompletionResult]::new('--keep-dlq-headers', '--keep-dlq-headers', [CompletionResultType]::ParameterName, 'Keep the DLQ error headers when redriving (they are stripped by default)')
            [CompletionResult]::new('--into-source', '--into-source', [CompletionResultType]::ParameterName, 'Allow the destination to be the source topic itself')
            [CompletionResult]::new('--new-timestamps', '--new-timestamps', [CompletionResultType]::ParameterName, 'Let the broker stamp replayed records with the current time instead of keeping the original timestamps')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (required without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (required without a terminal)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Resolve and show the plan, produce nothing')
            [CompletionResult]::new('--allow-duplicate', '--allow-duplicate', [CompletionResultType]::ParameterName, 'Send records again although an earlier replay already sent them (found in the replay states or in the destination''s provenance headers); recorded in the audit log')
            [CompletionResult]::new('--skip-oversized', '--skip-oversized', [CompletionResultType]::ParameterName, 'Replay the other records when some are larger than the destination accepts (the producer''s message.max.bytes, the topic''s max.message.bytes); counted as skipped')
            [CompletionResult]::new('--wide', '--wide', [CompletionResultType]::ParameterName, 'Show every table column in full instead of fitting tables to the terminal (COLUMNS)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kafkaops;replay;resume' {
            [CompletionResult]::new('--rate', '--rate', [CompletionResultType]::ParameterName, 'Records per second (e.g. 500/s, 3000/m) or `unlimited`; no burst above one second''s worth [default: 1000/s]')
            [CompletionResult]::new('--bytes-rate', '--bytes-rate', [CompletionResultType]::ParameterName, 'Also limit bytes per second (e.g. 2MiB/s)')
            [CompletionResult]::new('--owner', '--owner', [CompletionResultType]::ParameterName, 'Who resumes it [default: the replay''s owner]')
            [CompletionResult]::new('-b', '-b', [CompletionResultType]::ParameterName, 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)')
            [CompletionResult]::new('--brokers', '--brokers', [CompletionResultType]::ParameterName, 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)')
            [CompletionResult]::new('-X', '-X ', [CompletionResultType]::ParameterName, 'librdkafka property, repeatable, as kcat''s -X (e.g. -X security.protocol=SASL_SSL)')
            [CompletionResult]::new('-F', '-F ', [CompletionResultType]::ParameterName, 'librdkafka properties file (key=value lines)')
            [CompletionResult]::new('--config-file', '--config-file', [CompletionResultType]::ParameterName, 'librdkafka properties file (key=value lines)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named profile from the config file (env: KAFKAOPS_PROFILE)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout for each broker call')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON as a stable contract')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON as a stable contract')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--skip-oversized', '--skip-oversized', [CompletionResultType]::ParameterName, 'From now on, skip records larger than the destination accepts (counted as skipped)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (required without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (required without a terminal)')
            [CompletionResult]::new('--wide', '--wide', [CompletionResultType]::ParameterName, 'Show every table column in full instead of fitting tables to the terminal (COLUMNS)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kafkaops;replay;status' {
            [CompletionResult]::new('-b', '-b', [CompletionResultType]::ParameterName, 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)')
            [CompletionResult]::new('--brokers', '--brokers', [CompletionResultType]::ParameterName, 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)')
            [CompletionResult]::new('-X', '-X ', [CompletionResultType]::ParameterName, 'librdkafka property, repeatable, as kcat''s -X (e.g. -X security.protocol=SASL_SSL)')
            [CompletionResult]::new('-F', '-F ', [CompletionResultType]::ParameterName, 'librdkafka properties file (key=value lines)')
            [CompletionResult]::new('--config-file', '--config-file', [CompletionResultType]::ParameterName, 'librdkafka properties file (key=value lines)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named profile from the config file (env: KAFKAOPS_PROFILE)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout for each broker call')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON as a stable contract')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON as a stable contract')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--wide', '--wide', [CompletionResultType]::ParameterName, 'Show every table column in full instead of fitting tables to the terminal (COLUMNS)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kafkaops;replay;audit' {
            [CompletionResult]::new('-b', '-b', [CompletionResultType]::ParameterName, 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)')
            [CompletionResult]::new('--brokers', '--brokers', [CompletionResultType]::ParameterName, 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)')
            [CompletionResult]::new('-X', '-X ', [CompletionResultType]::ParameterName, 'librdkafka property, repeatable, as kcat''s -X (e.g. -X security.protocol=SASL_SSL)')
            [CompletionResult]::new('-F', '-F ', [CompletionResultType]::ParameterName, 'librdkafka properties file (key=value lines)')
            [CompletionResult]::new('--config-file', '--config-file', [CompletionResultType]::ParameterName, 'librdkafka properties file (key=value lines)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named profile from the config file (env: KAFKAOPS_PROFILE)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout for each broker call')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON as a stable contract')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON as a stable contract')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--wide', '--wide', [CompletionResultType]::ParameterName, 'Show every table column in full instead of fitting tables to the terminal (COLUMNS)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check the audit log''s hash chain: exit 1 if any line was edited, reordered or deleted')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'kafkaops;replay;audit;verify' {
            [CompletionResult]::new('--audit-log', '--audit-log', [CompletionResultType]::ParameterName, 'Audit log file [default: the profile''s audit_log, else $XDG_STATE_HOME/kafkaops/audit.jsonl]')
            [CompletionResult]::new('-b', '-b', [CompletionResultType]::ParameterName, 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)')
            [CompletionResult]::new('--brokers', '--brokers', [CompletionResultType]::ParameterName, 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)')
            [CompletionResult]::new('-X', '-X ', [CompletionResultType]::ParameterName, 'librdkafka property, repeatable, as kcat''s -X (e.g. -X security.protocol=SASL_SSL)')
            [CompletionResult]::new('-F', '-F ', [CompletionResultType]::ParameterName, 'librdkafka properties file (key=value lines)')
            [CompletionResult]::new('--config-file', '--config-file', [CompletionResultType]::ParameterName, 'librdkafka properties file (key=value lines)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named profile from the config file (env: KAFKAOPS_PROFILE)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout for each broker call')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON as a stable contract')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON as a stable contract')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--allow-missing-head', '--allow-missing-head', [CompletionResultType]::ParameterName, 'Pass a log whose .head file is missing (its tail cannot be checked then)')
            [CompletionResult]::new('--wide', '--wide', [CompletionResultType]::ParameterName, 'Show every table column in full instead of fitting tables to the terminal (COLUMNS)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kafkaops;replay;audit;help' {
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check the audit log''s hash chain: exit 1 if any line was edited, reordered or deleted')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'kafkaops;replay;audit;help;verify' {
            break
        }
        'kafkaops;replay;audit;help;help' {
            break
        }
        'kafkaops;replay;rewind' {
            [CompletionResult]::new('--group', '--group', [CompletionResultType]::ParameterName, 'The consumer group to rewind')
            [CompletionResult]::new('--topic', '--topic', [CompletionResultType]::ParameterName, 'Only this topic [default: every topic the group committed on]')
            [CompletionResult]::new('--partitions', '--partitions', [CompletionResultType]::ParameterName, 'Only these partitions of --topic, e.g. 0,3-5')
            [CompletionResult]::new('--to-time', '--to-time', [CompletionResultType]::ParameterName, 'The first offset at or after this time (RFC 3339, epoch ms, or relative such as -2h)')
            [CompletionResult]::new('--by', '--by', [CompletionResultType]::ParameterName, 'This long before now, e.g. 2h (the same as --to-time -2h)')
            [CompletionResult]::new('--to-offsets', '--to-offsets', [CompletionResultType]::ParameterName, 'Explicit offset of a partition of --topic, e.g. 3:1200 (repeatable)')
            [CompletionResult]::new('--to-replay-plan', '--to-replay-plan', [CompletionResultType]::ParameterName, 'Where a plan file of `replay plan --out` starts reading, per partition of its source topic')
            [CompletionResult]::new('--owner', '--owner', [CompletionResultType]::ParameterName, 'Who is responsible for this rewind (recorded in the audit log)')
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why the group reprocesses (recorded in the audit log)')
            [CompletionResult]::new('--ticket', '--ticket', [CompletionResultType]::ParameterName, 'Ticket or incident reference')
            [CompletionResult]::new('--max-records', '--max-records', [CompletionResultType]::ParameterName, 'Refuse rewinds that make the group reprocess more records than this')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Save the plan to this file (for `replay run --plan FILE`) and change nothing')
            [CompletionResult]::new('--audit-log', '--audit-log', [CompletionResultType]::ParameterName, 'Audit log file [default: the profile''s audit_log, else $XDG_STATE_HOME/kafkaops/audit.jsonl]')
            [CompletionResult]::new('--audit-topic', '--audit-topic', [CompletionResultType]::ParameterName, 'Also publish audit events to this Kafka topic')
            [CompletionResult]::new('-b', '-b', [CompletionResultType]::ParameterName, 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)')
            [CompletionResult]::new('--brokers', '--brokers', [CompletionResultType]::ParameterName, 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)')
            [CompletionResult]::new('-X', '-X ', [CompletionResultType]::ParameterName, 'librdkafka property, repeatable, as kcat''s -X (e.g. -X security.protocol=SASL_SSL)')
            [CompletionResult]::new('-F', '-F ', [CompletionResultType]::ParameterName, 'librdkafka properties file (key=value lines)')
            [CompletionResult]::new('--config-file', '--config-file', [CompletionResultType]::ParameterName, 'librdkafka properties file (key=value lines)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named profile from the config file (env: KAFKAOPS_PROFILE)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout for each broker call')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON as a stable contract')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON as a stable contract')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--to-earliest', '--to-earliest', [CompletionResultType]::ParameterName, 'The log start of each partition')
            [CompletionResult]::new('--to-latest', '--to-latest', [CompletionResultType]::ParameterName, 'The log end of each partition (skips every record not yet processed: needs --allow-forward)')
            [CompletionResult]::new('--allow-forward', '--allow-forward', [CompletionResultType]::ParameterName, 'Allow moving offsets forward, so the group never processes the records in between')
            [CompletionResult]::new('--assume-inactive', '--assume-inactive', [CompletionResultType]::ParameterName, 'The broker cannot tell whether the group has members (no DescribeGroups): go ahead, you checked')
            [CompletionResult]::new('--include-uncommitted', '--include-uncommitted', [CompletionResultType]::ParameterName, 'Also move partitions the group never committed (left alone by default)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show the plan, change nothing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (required without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (required without a terminal)')
            [CompletionResult]::new('--wide', '--wide', [CompletionResultType]::ParameterName, 'Show every table column in full instead of fitting tables to the terminal (COLUMNS)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kafkaops;replay;undo' {
            [CompletionResult]::new('--owner', '--owner', [CompletionResultType]::ParameterName, 'Who undoes it [default: the rewind''s owner]')
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why [default: "undo of rewind ID"]')
            [CompletionResult]::new('--max-records', '--max-records', [CompletionResultType]::ParameterName, 'Refuse an undo that makes the group reprocess more records than this')
            [CompletionResult]::new('--audit-log', '--audit-log', [CompletionResultType]::ParameterName, 'Audit log file [default: the profile''s audit_log, else $XDG_STATE_HOME/kafkaops/audit.jsonl]')
            [CompletionResult]::new('--audit-topic', '--audit-topic', [CompletionResultType]::ParameterName, 'Also publish audit events to this Kafka topic')
            [CompletionResult]::new('-b', '-b', [CompletionResultType]::ParameterName, 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)')
            [CompletionResult]::new('--brokers', '--brokers', [CompletionResultType]::ParameterName, 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)')
            [CompletionResult]::new('-X', '-X ', [CompletionResultType]::ParameterName, 'librdkafka property, repeatable, as kcat''s -X (e.g. -X security.protocol=SASL_SSL)')
            [CompletionResult]::new('-F', '-F ', [CompletionResultType]::ParameterName, 'librdkafka properties file (key=value lines)')
            [CompletionResult]::new('--config-file', '--config-file', [CompletionResultType]::ParameterName, 'librdkafka properties file (key=value lines)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named profile from the config file (env: KAFKAOPS_PROFILE)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout for each broker call')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON as a stable contract')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON as a stable contract')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--assume-inactive', '--assume-inactive', [CompletionResultType]::ParameterName, 'The broker cannot tell whether the group has members: go ahead, you checked')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show the plan, change nothing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (required without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (required without a terminal)')
            [CompletionResult]::new('--wide', '--wide', [CompletionResultType]::ParameterName, 'Show every table column in full instead of fitting tables to the terminal (COLUMNS)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kafkaops;replay;help' {
            [CompletionResult]::new('plan', 'plan', [CompletionResultType]::ParameterValue, 'Resolve a selection into an exact plan (offsets, counts, bytes, blast radius); produces nothing')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Execute a selection or a saved plan: confirmed, rate-limited, audited, checkpointed')
            [CompletionResult]::new('resume', 'resume', [CompletionResultType]::ParameterValue, 'Continue an interrupted or failed replay without sending any record twice')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'List replays with their state, counts and rates')
            [CompletionResult]::new('audit', 'audit', [CompletionResultType]::ParameterValue, 'The audit log (same as `kafkaops audit`)')
            [CompletionResult]::new('rewind', 'rewind', [CompletionResultType]::ParameterValue, 'Make one consumer group reprocess by moving its committed offsets: planned, guarded, confirmed, audited, undoable')
            [CompletionResult]::new('undo', 'undo', [CompletionResultType]::ParameterValue, 'Put a rewound group''s offsets back exactly where they were before the rewind')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'kafkaops;replay;help;plan' {
            break
        }
        'kafkaops;replay;help;run' {
            break
        }
        'kafkaops;replay;help;resume' {
            break
        }
        'kafkaops;replay;help;status' {
            break
        }
        'kafkaops;replay;help;audit' {
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check the audit log''s hash chain: exit 1 if any line was edited, reordered or deleted')
            break
        }
        'kafkaops;replay;help;audit;verify' {
            break
        }
        'kafkaops;replay;help;rewind' {
            break
        }
        'kafkaops;replay;help;undo' {
            break
        }
        'kafkaops;replay;help;help' {
            break
        }
        'kafkaops;lag' {
            [CompletionResult]::new('--group', '--group', [CompletionResultType]::ParameterName, 'Consumer group to report (repeatable); default: every group the cluster lists')
            [CompletionResult]::new('--group-regex', '--group-regex', [CompletionResultType]::ParameterName, 'Report the groups whose name matches this regex (with --group: in addition)')
            [CompletionResult]::new('--topic', '--topic', [CompletionResultType]::ParameterName, 'Only this topic')
            [CompletionResult]::new('--samples', '--samples', [CompletionResultType]::ParameterName, 'Snapshots to take for trend statuses')
            [CompletionResult]::new('--interval', '--interval', [CompletionResultType]::ParameterName, 'Time between snapshots')
            [CompletionResult]::new('--allowed-lag', '--allowed-lag', [CompletionResultType]::ParameterName, 'Lag (records) that still counts as caught up in trend statuses')
            [CompletionResult]::new('--max-lag', '--max-lag', [CompletionResultType]::ParameterName, 'Breach when any partition''s lag exceeds N records')
            [CompletionResult]::new('--max-total-lag', '--max-total-lag', [CompletionResultType]::ParameterName, 'Breach when a group''s total lag exceeds N records')
            [CompletionResult]::new('--max-age', '--max-age', [CompletionResultType]::ParameterName, 'Breach when any partition''s event age exceeds DURATION')
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'Breach when a group''s trend status is this bad (needs --samples 2 or more)')
            [CompletionResult]::new('--watch', '--watch', [CompletionResultType]::ParameterName, 'Redraw every INTERVAL with consumption rate and time to catch up, until Ctrl-C')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Write the report to FILE instead of stdout, replacing it atomically once the report is complete (each sample or --watch frame); a failed run keeps the old file')
            [CompletionResult]::new('-b', '-b', [CompletionResultType]::ParameterName, 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)')
            [CompletionResult]::new('--brokers', '--brokers', [CompletionResultType]::ParameterName, 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)')
            [CompletionResult]::new('-X', '-X ', [CompletionResultType]::ParameterName, 'librdkafka property, repeatable, as kcat''s -X (e.g. -X security.protocol=SASL_SSL)')
            [CompletionResult]::new('-F', '-F ', [CompletionResultType]::ParameterName, 'librdkafka properties file (key=value lines)')
            [CompletionResult]::new('--config-file', '--config-file', [CompletionResultType]::ParameterName, 'librdkafka properties file (key=value lines)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named profile from the config file (env: KAFKAOPS_PROFILE)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout for each broker call')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON as a stable contract')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON as a stable contract')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--no-age', '--no-age', [CompletionResultType]::ParameterName, 'Skip event-age lookups (reads no records)')
            [CompletionResult]::new('--wide', '--wide', [CompletionResultType]::ParameterName, 'Show every table column in full instead of fitting tables to the terminal (COLUMNS)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kafkaops;serve' {
            [CompletionResult]::new('--listen', '--listen', [CompletionResultType]::ParameterName, 'Address to serve HTTP on [default: 127.0.0.1:9308]')
            [CompletionResult]::new('--interval', '--interval', [CompletionResultType]::ParameterName, 'Time between collections [default: 30s]')
            [CompletionResult]::new('--window', '--window', [CompletionResultType]::ParameterName, 'Lag samples the trend status (OK, WARN, STALL, STOP, REWIND) is judged over [default: 10]')
            [CompletionResult]::new('--group', '--group', [CompletionResultType]::ParameterName, 'Consumer group to follow (repeatable); default: every group the cluster lists')
            [CompletionResult]::new('--group-regex', '--group-regex', [CompletionResultType]::ParameterName, 'Follow the groups whose name matches this regex (with --group: in addition)')
            [CompletionResult]::new('--topic', '--topic', [CompletionResultType]::ParameterName, 'Only this topic''s partitions')
            [CompletionResult]::new('--allowed-lag', '--allowed-lag', [CompletionResultType]::ParameterName, 'Lag at or below which a partition counts as caught up in the trend [default: 0]')
            [CompletionResult]::new('--dlq-topic', '--dlq-topic', [CompletionResultType]::ParameterName, 'Dead-letter topic to triage continuously (repeatable)')
            [CompletionResult]::new('--rules', '--rules', [CompletionResultType]::ParameterName, 'Rules file deciding an action per DLQ category, as for `dlq triage`')
            [CompletionResult]::new('--sla', '--sla', [CompletionResultType]::ParameterName, 'Triage SLA: a category whose oldest open record is older breaches it')
            [CompletionResult]::new('--audit-log', '--audit-log', [CompletionResultType]::ParameterName, 'Audit log holding the handled marks [default: as for `dlq triage`]')
            [CompletionResult]::new('--max-categories', '--max-categories', [CompletionResultType]::ParameterName, 'Categories counted one by one per DLQ topic; the rest share an overflow row [default: 1000]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Serve settings as TOML (keys named as these flags); flags given here win')
            [CompletionResult]::new('-b', '-b', [CompletionResultType]::ParameterName, 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)')
            [CompletionResult]::new('--brokers', '--brokers', [CompletionResultType]::ParameterName, 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)')
            [CompletionResult]::new('-X', '-X ', [CompletionResultType]::ParameterName, 'librdkafka property, repeatable, as kcat''s -X (e.g. -X security.protocol=SASL_SSL)')
            [CompletionResult]::new('-F', '-F ', [CompletionResultType]::ParameterName, 'librdkafka properties file (key=value lines)')
            [CompletionResult]::new('--config-file', '--config-file', [CompletionResultType]::ParameterName, 'librdkafka properties file (key=value lines)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named profile from the config file (env: KAFKAOPS_PROFILE)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout for each broker call')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON as a stable contract')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON as a stable contract')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--no-age', '--no-age', [CompletionResultType]::ParameterName, 'Skip event ages (no record reads for lag)')
            [CompletionResult]::new('--no-lag', '--no-lag', [CompletionResultType]::ParameterName, 'Collect no lag: DLQ topics only')
            [CompletionResult]::new('--wide', '--wide', [CompletionResultType]::ParameterName, 'Show every table column in full instead of fitting tables to the terminal (COLUMNS)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kafkaops;audit' {
            [CompletionResult]::new('-b', '-b', [CompletionResultType]::ParameterName, 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)')
            [CompletionResult]::new('--brokers', '--brokers', [CompletionResultType]::ParameterName, 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)')
            [CompletionResult]::new('-X', '-X ', [CompletionResultType]::ParameterName, 'librdkafka property, repeatable, as kcat''s -X (e.g. -X security.protocol=SASL_SSL)')
            [CompletionResult]::new('-F', '-F ', [CompletionResultType]::ParameterName, 'librdkafka properties file (key=value lines)')
            [CompletionResult]::new('--config-file', '--config-file', [CompletionResultType]::ParameterName, 'librdkafka properties file (key=value lines)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named profile from the config file (env: KAFKAOPS_PROFILE)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout for each broker call')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON as a stable contract')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON as a stable contract')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--wide', '--wide', [CompletionResultType]::ParameterName, 'Show every table column in full instead of fitting tables to the terminal (COLUMNS)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check the audit log''s hash chain: exit 1 if any line was edited, reordered or deleted')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'kafkaops;audit;verify' {
            [CompletionResult]::new('--audit-log', '--audit-log', [CompletionResultType]::ParameterName, 'Audit log file [default: the profile''s audit_log, else $XDG_STATE_HOME/kafkaops/audit.jsonl]')
            [CompletionResult]::new('-b', '-b', [CompletionResultType]::ParameterName, 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)')
            [CompletionResult]::new('--brokers', '--brokers', [CompletionResultType]::ParameterName, 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)')
            [CompletionResult]::new('-X', '-X ', [CompletionResultType]::ParameterName, 'librdkafka property, repeatable, as kcat''s -X (e.g. -X security.protocol=SASL_SSL)')
            [CompletionResult]::new('-F', '-F ', [CompletionResultType]::ParameterName, 'librdkafka properties file (key=value lines)')
            [CompletionResult]::new('--config-file', '--config-file', [CompletionResultType]::ParameterName, 'librdkafka properties file (key=value lines)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named profile from the config file (env: KAFKAOPS_PROFILE)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout for each broker call')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON as a stable contract')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON as a stable contract')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--allow-missing-head', '--allow-missing-head', [CompletionResultType]::ParameterName, 'Pass a log whose .head file is missing (its tail cannot be checked then)')
            [CompletionResult]::new('--wide', '--wide', [CompletionResultType]::ParameterName, 'Show every table column in full instead of fitting tables to the terminal (COLUMNS)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kafkaops;audit;help' {
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check the audit log''s hash chain: exit 1 if any line was edited, reordered or deleted')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'kafkaops;audit;help;verify' {
            break
        }
        'kafkaops;audit;help;help' {
            break
        }
        'kafkaops;drill' {
            [CompletionResult]::new('--topic', '--topic', [CompletionResultType]::ParameterName, 'Source topic whose window is replayed')
            [CompletionResult]::new('--window', '--window', [CompletionResultType]::ParameterName, 'Length of the window, ending at --at')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'End of the window (default: now)')
            [CompletionResult]::new('--rate', '--rate', [CompletionResultType]::ParameterName, 'Rate ceiling, records per second')
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'Replay into this existing topic instead of a new scratch topic')
            [CompletionResult]::new('--owner', '--owner', [CompletionResultType]::ParameterName, 'Who runs the drill (audit log and provenance headers)')
            [CompletionResult]::new('--ticket', '--ticket', [CompletionResultType]::ParameterName, 'Ticket or change reference')
            [CompletionResult]::new('--max-records', '--max-records', [CompletionResultType]::ParameterName, 'Refuse windows with more records than this')
            [CompletionResult]::new('--audit-log', '--audit-log', [CompletionResultType]::ParameterName, 'Audit log file [default: the profile''s audit_log, else $XDG_STATE_HOME/kafkaops/audit.jsonl]')
            [CompletionResult]::new('--report', '--report', [CompletionResultType]::ParameterName, 'Write the JSON report here too')
            [CompletionResult]::new('--junit', '--junit', [CompletionResultType]::ParameterName, 'Write a JUnit XML report here, for CI test views')
            [CompletionResult]::new('--verify', '--verify', [CompletionResultType]::ParameterName, 'Re-verify an earlier replay or drill by id instead of replaying')
            [CompletionResult]::new('-b', '-b', [CompletionResultType]::ParameterName, 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)')
            [CompletionResult]::new('--brokers', '--brokers', [CompletionResultType]::ParameterName, 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)')
            [CompletionResult]::new('-X', '-X ', [CompletionResultType]::ParameterName, 'librdkafka property, repeatable, as kcat''s -X (e.g. -X security.protocol=SASL_SSL)')
            [CompletionResult]::new('-F', '-F ', [CompletionResultType]::ParameterName, 'librdkafka properties file (key=value lines)')
            [CompletionResult]::new('--config-file', '--config-file', [CompletionResultType]::ParameterName, 'librdkafka properties file (key=value lines)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named profile from the config file (env: KAFKAOPS_PROFILE)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout for each broker call')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON as a stable contract')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON as a stable contract')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--cleanup', '--cleanup', [CompletionResultType]::ParameterName, 'Remove the scratch topic afterwards, where the broker allows it')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (required without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (required without a terminal)')
            [CompletionResult]::new('--wide', '--wide', [CompletionResultType]::ParameterName, 'Show every table column in full instead of fitting tables to the terminal (COLUMNS)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kafkaops;demo' {
            [CompletionResult]::new('-b', '-b', [CompletionResultType]::ParameterName, 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)')
            [CompletionResult]::new('--brokers', '--brokers', [CompletionResultType]::ParameterName, 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)')
            [CompletionResult]::new('-X', '-X ', [CompletionResultType]::ParameterName, 'librdkafka property, repeatable, as kcat''s -X (e.g. -X security.protocol=SASL_SSL)')
            [CompletionResult]::new('-F', '-F ', [CompletionResultType]::ParameterName, 'librdkafka properties file (key=value lines)')
            [CompletionResult]::new('--config-file', '--config-file', [CompletionResultType]::ParameterName, 'librdkafka properties file (key=value lines)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named profile from the config file (env: KAFKAOPS_PROFILE)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout for each broker call')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON as a stable contract')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON as a stable contract')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--wide', '--wide', [CompletionResultType]::ParameterName, 'Show every table column in full instead of fitting tables to the terminal (COLUMNS)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kafkaops;sandbox' {
            [CompletionResult]::new('--listen', '--listen', [CompletionResultType]::ParameterName, 'Loopback address the sandbox broker listens on')
            [CompletionResult]::new('--seed', '--seed', [CompletionResultType]::ParameterName, 'What to seed it with')
            [CompletionResult]::new('--create-topic', '--create-topic', [CompletionResultType]::ParameterName, 'Also create an empty topic, NAME:PARTITIONS (repeatable), e.g. for benchmarks')
            [CompletionResult]::new('-b', '-b', [CompletionResultType]::ParameterName, 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)')
            [CompletionResult]::new('--brokers', '--brokers', [CompletionResultType]::ParameterName, 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)')
            [CompletionResult]::new('-X', '-X ', [CompletionResultType]::ParameterName, 'librdkafka property, repeatable, as kcat''s -X (e.g. -X security.protocol=SASL_SSL)')
            [CompletionResult]::new('-F', '-F ', [CompletionResultType]::ParameterName, 'librdkafka properties file (key=value lines)')
            [CompletionResult]::new('--config-file', '--config-file', [CompletionResultType]::ParameterName, 'librdkafka properties file (key=value lines)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named profile from the config file (env: KAFKAOPS_PROFILE)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout for each broker call')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON as a stable contract')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON as a stable contract')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--no-serve', '--no-serve', [CompletionResultType]::ParameterName, 'Seed, print the address and exit instead of serving (the broker stops with the process)')
            [CompletionResult]::new('--wide', '--wide', [CompletionResultType]::ParameterName, 'Show every table column in full instead of fitting tables to the terminal (COLUMNS)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kafkaops;topic' {
            [CompletionResult]::new('-b', '-b', [CompletionResultType]::ParameterName, 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)')
            [CompletionResult]::new('--brokers', '--brokers', [CompletionResultType]::ParameterName, 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)')
            [CompletionResult]::new('-X', '-X ', [CompletionResultType]::ParameterName, 'librdkafka property, repeatable, as kcat''s -X (e.g. -X security.protocol=SASL_SSL)')
            [CompletionResult]::new('-F', '-F ', [CompletionResultType]::ParameterName, 'librdkafka properties file (key=value lines)')
            [CompletionResult]::new('--config-file', '--config-file', [CompletionResultType]::ParameterName, 'librdkafka properties file (key=value lines)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named profile from the config file (env: KAFKAOPS_PROFILE)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout for each broker call')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON as a stable contract')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON as a stable contract')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--wide', '--wide', [CompletionResultType]::ParameterName, 'Show every table column in full instead of fitting tables to the terminal (COLUMNS)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('describe', 'describe', [CompletionResultType]::ParameterValue, 'Show partitions, leaders, replicas, log start/end and record counts')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'kafkaops;topic;describe' {
            [CompletionResult]::new('-t', '-t', [CompletionResultType]::ParameterName, 'Topic to describe')
            [CompletionResult]::new('--topic', '--topic', [CompletionResultType]::ParameterName, 'Topic to describe')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Also look up the first offset at or after this time (offsets-for-times)')
            [CompletionResult]::new('-b', '-b', [CompletionResultType]::ParameterName, 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)')
            [CompletionResult]::new('--brokers', '--brokers', [CompletionResultType]::ParameterName, 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)')
            [CompletionResult]::new('-X', '-X ', [CompletionResultType]::ParameterName, 'librdkafka property, repeatable, as kcat''s -X (e.g. -X security.protocol=SASL_SSL)')
            [CompletionResult]::new('-F', '-F ', [CompletionResultType]::ParameterName, 'librdkafka properties file (key=value lines)')
            [CompletionResult]::new('--config-file', '--config-file', [CompletionResultType]::ParameterName, 'librdkafka properties file (key=value lines)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named profile from the config file (env: KAFKAOPS_PROFILE)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout for each broker call')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON as a stable contract')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON as a stable contract')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--wide', '--wide', [CompletionResultType]::ParameterName, 'Show every table column in full instead of fitting tables to the terminal (COLUMNS)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kafkaops;topic;help' {
            [CompletionResult]::new('describe', 'describe', [CompletionResultType]::ParameterValue, 'Show partitions, leaders, replicas, log start/end and record counts')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'kafkaops;topic;help;describe' {
            break
        }
        'kafkaops;topic;help;help' {
            break
        }
        'kafkaops;config' {
            [CompletionResult]::new('-b', '-b', [CompletionResultType]::ParameterName, 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)')
            [CompletionResult]::new('--brokers', '--brokers', [CompletionResultType]::ParameterName, 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)')
            [CompletionResult]::new('-X', '-X ', [CompletionResultType]::ParameterName, 'librdkafka property, repeatable, as kcat''s -X (e.g. -X security.protocol=SASL_SSL)')
            [CompletionResult]::new('-F', '-F ', [CompletionResultType]::ParameterName, 'librdkafka properties file (key=value lines)')
            [CompletionResult]::new('--config-file', '--config-file', [CompletionResultType]::ParameterName, 'librdkafka properties file (key=value lines)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named profile from the config file (env: KAFKAOPS_PROFILE)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout for each broker call')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON as a stable contract')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON as a stable contract')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--wide', '--wide', [CompletionResultType]::ParameterName, 'Show every table column in full instead of fitting tables to the terminal (COLUMNS)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print brokers and librdkafka properties after flags, env and profile are merged; secrets redacted')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Connect, authenticate and fetch metadata; exit 3 when the cluster cannot be reached')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'kafkaops;config;show' {
            [CompletionResult]::new('-b', '-b', [CompletionResultType]::ParameterName, 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)')
            [CompletionResult]::new('--brokers', '--brokers', [CompletionResultType]::ParameterName, 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)')
            [CompletionResult]::new('-X', '-X ', [CompletionResultType]::ParameterName, 'librdkafka property, repeatable, as kcat''s -X (e.g. -X security.protocol=SASL_SSL)')
            [CompletionResult]::new('-F', '-F ', [CompletionResultType]::ParameterName, 'librdkafka properties file (key=value lines)')
            [CompletionResult]::new('--config-file', '--config-file', [CompletionResultType]::ParameterName, 'librdkafka properties file (key=value lines)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named profile from the config file (env: KAFKAOPS_PROFILE)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout for each broker call')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON as a stable contract')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON as a stable contract')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--wide', '--wide', [CompletionResultType]::ParameterName, 'Show every table column in full instead of fitting tables to the terminal (COLUMNS)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kafkaops;config;check' {
            [CompletionResult]::new('-b', '-b', [CompletionResultType]::ParameterName, 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)')
            [CompletionResult]::new('--brokers', '--brokers', [CompletionResultType]::ParameterName, 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)')
            [CompletionResult]::new('-X', '-X ', [CompletionResultType]::ParameterName, 'librdkafka property, repeatable, as kcat''s -X (e.g. -X security.protocol=SASL_SSL)')
            [CompletionResult]::new('-F', '-F ', [CompletionResultType]::ParameterName, 'librdkafka properties file (key=value lines)')
            [CompletionResult]::new('--config-file', '--config-file', [CompletionResultType]::ParameterName, 'librdkafka properties file (key=value lines)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named profile from the config file (env: KAFKAOPS_PROFILE)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout for each broker call')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON as a stable contract')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON as a stable contract')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--wide', '--wide', [CompletionResultType]::ParameterName, 'Show every table column in full instead of fitting tables to the terminal (COLUMNS)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kafkaops;config;help' {
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print brokers and librdkafka properties after flags, env and profile are merged; secrets redacted')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Connect, authenticate and fetch metadata; exit 3 when the cluster cannot be reached')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'kafkaops;config;help;show' {
            break
        }
        'kafkaops;config;help;check' {
            break
        }
        'kafkaops;config;help;help' {
            break
        }
        'kafkaops;generate' {
            [CompletionResult]::new('--out-dir', '--out-dir', [CompletionResultType]::ParameterName, 'Directory that receives completions/ and man/')
            [CompletionResult]::new('-b', '-b', [CompletionResultType]::ParameterName, 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)')
            [CompletionResult]::new('--brokers', '--brokers', [CompletionResultType]::ParameterName, 'Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)')
            [CompletionResult]::new('-X', '-X ', [CompletionResultType]::ParameterName, 'librdkafka property, repeatable, as kcat''s -X (e.g. -X security.protocol=SASL_SSL)')
            [CompletionResult]::new('-F', '-F ', [CompletionResultType]::ParameterName, 'librdkafka properties file (key=value lines)')
            [CompletionResult]::new('--config-file', '--config-file', [CompletionResultType]::ParameterName, 'librdkafka properties file (key=value lines)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named profile from the config file (env: KAFKAOPS_PROFILE)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout for each broker call')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON as a stable contract')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON as a stable contract')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--wide', '--wide', [CompletionResultType]::ParameterName, 'Show every table column in full instead of fitting tables to the terminal (COLUMNS)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kafkaops;help' {
            [CompletionResult]::new('dlq', 'dlq', [CompletionResultType]::ParameterValue, 'Triage a dead-letter topic: categories, ages, decisions; inspect and export records')
            [CompletionResult]::new('replay', 'replay', [CompletionResultType]::ParameterValue, 'Re-publish a bounded slice of a topic: plan, run, resume, status')
            [CompletionResult]::new('lag', 'lag', [CompletionResultType]::ParameterValue, 'Lag and event age per consumer group and partition, with thresholds for CI')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Prometheus exporter: lag with trend status, event age and DLQ categories, on /metrics')
            [CompletionResult]::new('audit', 'audit', [CompletionResultType]::ParameterValue, 'Verify the replay audit log''s hash chain (exit 1 if a line was edited, reordered or deleted)')
            [CompletionResult]::new('drill', 'drill', [CompletionResultType]::ParameterValue, 'Replay drill for scheduled CI: replay a window into a scratch topic and prove parity')
            [CompletionResult]::new('demo', 'demo', [CompletionResultType]::ParameterValue, 'A guided tour on the embedded sandbox: triage, lag, a planned and audited redrive')
            [CompletionResult]::new('sandbox', 'sandbox', [CompletionResultType]::ParameterValue, 'Start an embedded, seeded Kafka-protocol broker to try kafkaops on (no Kafka needed)')
            [CompletionResult]::new('topic', 'topic', [CompletionResultType]::ParameterValue, 'Partitions, leaders, watermarks and offsets-for-times of one topic')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Show or check the effective connection settings')
            [CompletionResult]::new('generate', 'generate', [CompletionResultType]::ParameterValue, 'Write shell completions and man pages (used to refresh completions/ and man/)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'kafkaops;help;dlq' {
            [CompletionResult]::new('triage', 'triage', [CompletionResultType]::ParameterValue, 'What is in a dead-letter topic: categories, counts, ages, origins, decisions')
            [CompletionResult]::new('inspect', 'inspect', [CompletionResultType]::ParameterValue, 'Show records with headers decoded to typed values and payloads pretty-printed')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Write records as byte-exact JSON Lines, to fix by hand and replay from the file')
            [CompletionResult]::new('mark', 'mark', [CompletionResultType]::ParameterValue, 'Record categories as handled or discarded, so triage and its SLA count only open records')
            break
        }
        'kafkaops;help;dlq;triage' {
            break
        }
        'kafkaops;help;dlq;inspect' {
            break
        }
        'kafkaops;help;dlq;export' {
            break
        }
        'kafkaops;help;dlq;mark' {
            break
        }
        'kafkaops;help;replay' {
            [CompletionResult]::new('plan', 'plan', [CompletionResultType]::ParameterValue, 'Resolve a selection into an exact plan (offsets, counts, bytes, blast radius); produces nothing')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Execute a selection or a saved plan: confirmed, rate-limited, audited, checkpointed')
            [CompletionResult]::new('resume', 'resume', [CompletionResultType]::ParameterValue, 'Continue an interrupted or failed replay without sending any record twice')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'List replays with their state, counts and rates')
            [CompletionResult]::new('audit', 'audit', [CompletionResultType]::ParameterValue, 'The audit log (same as `kafkaops audit`)')
            [CompletionResult]::new('rewind', 'rewind', [CompletionResultType]::ParameterValue, 'Make one consumer group reprocess by moving its committed offsets: planned, guarded, confirmed, audited, undoable')
            [CompletionResult]::new('undo', 'undo', [CompletionResultType]::ParameterValue, 'Put a rewound group''s offsets back exactly where they were before the rewind')
            break
        }
        'kafkaops;help;replay;plan' {
            break
        }
        'kafkaops;help;replay;run' {
            break
        }
        'kafkaops;help;replay;resume' {
            break
        }
        'kafkaops;help;replay;status' {
            break
        }
        'kafkaops;help;replay;audit' {
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check the audit log''s hash chain: exit 1 if any line was edited, reordered or deleted')
            break
        }
        'kafkaops;help;replay;audit;verify' {
            break
        }
        'kafkaops;help;replay;rewind' {
            break
        }
        'kafkaops;help;replay;undo' {
            break
        }
        'kafkaops;help;lag' {
            break
        }
        'kafkaops;help;serve' {
            break
        }
        'kafkaops;help;audit' {
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check the audit log''s hash chain: exit 1 if any line was edited, reordered or deleted')
            break
        }
        'kafkaops;help;audit;verify' {
            break
        }
        'kafkaops;help;drill' {
            break
        }
        'kafkaops;help;demo' {
            break
        }
        'kafkaops;help;sandbox' {
            break
        }
        'kafkaops;help;topic' {
            [CompletionResult]::new('describe', 'describe', [CompletionResultType]::ParameterValue, 'Show partitions, leaders, replicas, log start/end and record counts')
            break
        }
        'kafkaops;help;topic;describe' {
            break
        }
        'kafkaops;help;config' {
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print brokers and librdkafka properties after flags, env and profile are merged; secrets redacted')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Connect, authenticate and fetch metadata; exit 3 when the cluster cannot be reached')
            break
        }
        'kafkaops;help;config;show' {
            break
        }
        'kafkaops;help;config;check' {
            break
        }
        'kafkaops;help;generate' {
            break
        }
        'kafkaops;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
