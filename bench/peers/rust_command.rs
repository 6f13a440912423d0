// rust_command.rs: Rust's std::process::Command, timed for bench/spawn.c.
// Reads one request per line on stdin and answers each with one line:
//   heap MIB      allocate and touch MIB MiB (the parent size for spawns): "ok"
//   status        Command::status() of /bin/true: the seconds it took
//   output BYTES  Command::output() of `head -c BYTES /dev/zero`: the seconds
// Built by bench/10-wrapper.sh with plain rustc (no cargo, no crates).
use std::io::{self, BufRead, Write};
use std::process::Command;
use std::time::Instant;

fn main() {
    let mut heap: Vec<u8> = Vec::new();
    let mut true_command = Command::new("/bin/true");
    let stdout = io::stdout();
    let mut answers = stdout.lock();
    for line in io::stdin().lock().lines() {
        let line = line.expect("reading a request");
        let words: Vec<&str> = line.split_whitespace().collect();
        let answer = match words.as_slice() {
            ["heap", mib] => {
                let mib: usize = mib.parse().expect("heap MIB");
                heap.clear();
                heap.resize(mib << 20, 1u8); // every page written, as in spawn.c
                format!("ok {}", heap.len() >> 20)
            }
            ["status"] => {
                let start = Instant::now();
                let status = true_command.status().expect("status() of /bin/true");
                let seconds = start.elapsed().as_secs_f64();
                assert!(status.success(), "/bin/true failed");
                format!("{:.9}", seconds)
            }
            ["output", bytes] => {
                let start = Instant::now();
                let output = Command::new("head")
                    .args(["-c", bytes, "/dev/zero"])
                    .output()
                    .expect("output() of head");
                let seconds = start.elapsed().as_secs_f64();
                assert_eq!(output.stdout.len().to_string(), *bytes, "bytes captured");
                format!("{:.9}", seconds)
            }
            _ => panic!("unknown request: {}", line),
        };
        writeln!(answers, "{}", answer).expect("answering");
        answers.flush().expect("answering");
    }
}
