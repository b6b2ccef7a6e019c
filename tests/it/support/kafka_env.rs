//! The Apache Kafka test broker's security side: its listeners and users (the `env`
//! file `scripts/kafka.sh start DIR` writes), profiles that connect over SCRAM or TLS,
//! ACLs and SCRAM users made through confluent-kafka as the super user, and a private
//! broker of a test's own that it may stop and start.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command as StdCommand;

use super::python::python_file;

/// DIR/env of an Apache Kafka broker started by scripts/kafka.sh: what the tests
/// connect to (the super user's credentials are read by kafka_admin.py itself).
#[derive(Clone, Debug)]
pub struct KafkaEnv {
    pub file: PathBuf,
    pub bootstrap: String,
    pub sasl_bootstrap: String,
    pub ssl_bootstrap: String,
    pub ssl_ca: String,
    pub mechanism: String,
}

impl KafkaEnv {
    /// The shared broker's (`KAFKAOPS_KAFKA_ENV`, as scripts/test.sh exports it).
    pub fn shared() -> KafkaEnv {
        let file = std::env::var("KAFKAOPS_KAFKA_ENV").unwrap_or_else(|_| {
            panic!(
                "this test needs the Apache Kafka broker's env file: run it through scripts/test.sh, \
                 or start one with `scripts/kafka.sh start DIR` and export KAFKAOPS_KAFKA_ENV=DIR/env \
                 (and KAFKAOPS_KAFKA_BROKERS, KAFKAOPS_KAFKA_DIR)"
            )
        });
        KafkaEnv::read(Path::new(&file))
    }

    pub fn read(file: &Path) -> KafkaEnv {
        let text = std::fs::read_to_string(file)
            .unwrap_or_else(|e| panic!("read {}: {e}", file.display()));
        let kv: BTreeMap<&str, &str> = text.lines().filter_map(|l| l.split_once('=')).collect();
        let get = |k: &str| {
            kv.get(k)
                .unwrap_or_else(|| panic!("{} has no {k}", file.display()))
                .to_string()
        };
        KafkaEnv {
            file: file.to_path_buf(),
            bootstrap: get("BOOTSTRAP"),
            sasl_bootstrap: get("SASL_BOOTSTRAP"),
            ssl_bootstrap: get("SSL_BOOTSTRAP"),
            ssl_ca: get("SSL_CA"),
            mechanism: get("SASL_MECHANISM"),
        }
    }

    fn admin(&self, args: &[&str]) {
        let mut all = vec![self.file.to_str().unwrap()];
        all.extend_from_slice(args);
        python_file("kafka_admin.py", &all);
    }

    /// Allow `user` each `kind:name:OPERATION` (`topic:orders:WRITE`, `group:g:READ`).
    pub fn grant(&self, user: &str, acls: &[String]) {
        let mut args = vec!["grant", user];
        args.extend(acls.iter().map(String::as_str));
        self.admin(&args);
    }

    pub fn revoke(&self, user: &str, acls: &[String]) {
        let mut args = vec!["revoke", user];
        args.extend(acls.iter().map(String::as_str));
        self.admin(&args);
    }

    /// A SCRAM user of the test's own, with no ACLs.
    pub fn scram_user(&self, user: &str, password: &str) {
        self.admin(&["scram-user", user, password]);
    }

    /// One transaction per letter of `plan` (`c` committed, `a` aborted), 5 records
    /// each (values `{c|a}-{transaction}-{i}`), spread round-robin over the partitions.
    pub fn transactions(&self, topic: &str, partitions: i32, plan: &str) {
        self.admin(&["transactions", topic, &partitions.to_string(), plan]);
    }

    /// A config file with profile `name` for `user` over SCRAM, whose password comes
    /// from the environment variable `password_var`.
    pub fn scram_profile(&self, name: &str, user: &str, password_var: &str) -> String {
        format!(
            "[profiles.{name}]\nbrokers = \"{}\"\n[profiles.{name}.properties]\n\
             \"security.protocol\" = \"SASL_PLAINTEXT\"\n\"sasl.mechanism\" = \"{}\"\n\
             \"sasl.username\" = \"{user}\"\n\"sasl.password\" = \"${{env:{password_var}}}\"\n",
            self.sasl_bootstrap, self.mechanism
        )
    }

    /// A profile `name` over TLS, checking the broker's certificate against the test CA.
    pub fn ssl_profile(&self, name: &str) -> String {
        format!(
            "[profiles.{name}]\nbrokers = \"{}\"\n[profiles.{name}.properties]\n\
             \"security.protocol\" = \"SSL\"\n\"ssl.ca.location\" = \"{}\"\n",
            self.ssl_bootstrap, self.ssl_ca
        )
    }
}

fn kafka_script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/kafka.sh")
}

/// An Apache Kafka broker of a test's own in a temporary directory, for tests that
/// stop and start it (the shared broker must stay up for the tests running beside).
pub struct PrivateKafka {
    pub env: KafkaEnv,
    dir: tempfile::TempDir,
}

impl PrivateKafka {
    pub fn start() -> PrivateKafka {
        let dir = tempfile::tempdir().unwrap();
        kafka_sh("start", dir.path());
        PrivateKafka {
            env: KafkaEnv::read(&dir.path().join("env")),
            dir,
        }
    }

    /// SIGTERM the JVM and wait for its clean shutdown (scripts/kafka.sh stop).
    pub fn stop(&self) {
        kafka_sh("stop", self.dir.path());
    }

    /// Start again on the same log directory and ports.
    pub fn restart(&self) {
        kafka_sh("start", self.dir.path());
    }
}

fn kafka_sh(what: &str, dir: &Path) {
    let out = StdCommand::new("bash")
        .arg(kafka_script())
        .arg(what)
        .arg(dir)
        .output()
        .expect("run scripts/kafka.sh");
    assert!(
        out.status.success(),
        "scripts/kafka.sh {what} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

impl Drop for PrivateKafka {
    fn drop(&mut self) {
        let _ = StdCommand::new("bash")
            .arg(kafka_script())
            .arg("stop")
            .arg(self.dir.path())
            .output();
    }
}
