//! Fargate's valid task sizes: a task's cpu units decide which memory sizes (MiB) it may have.
//!
//! AWS rejects any other pair at `RegisterTaskDefinition`; checking here turns a deploy-time API
//! error into an input error that lists the values that would work.

/// Task cpu units with the memory sizes Fargate accepts for each.
const SIZES: &[(u32, MemoryRange)] = &[
    (256, MemoryRange::List(&[512, 1024, 2048])),
    (512, MemoryRange::Step { from: 1024, to: 4096, step: 1024 }),
    (1024, MemoryRange::Step { from: 2048, to: 8192, step: 1024 }),
    (2048, MemoryRange::Step { from: 4096, to: 16384, step: 1024 }),
    (4096, MemoryRange::Step { from: 8192, to: 30720, step: 1024 }),
    (8192, MemoryRange::Step { from: 16384, to: 61440, step: 4096 }),
    (16384, MemoryRange::Step { from: 32768, to: 122880, step: 8192 }),
];

enum MemoryRange {
    List(&'static [u32]),
    Step { from: u32, to: u32, step: u32 },
}

impl MemoryRange {
    fn contains(&self, memory: u32) -> bool {
        match self {
            Self::List(values) => values.contains(&memory),
            Self::Step { from, to, step } => (*from..=*to).contains(&memory) && (memory - from).is_multiple_of(*step),
        }
    }

    fn describe(&self) -> String {
        match self {
            Self::List(values) => join(values),
            Self::Step { from, to, step } => format!("{from} to {to} in steps of {step}"),
        }
    }
}

fn join(values: &[u32]) -> String {
    values.iter().map(u32::to_string).collect::<Vec<_>>().join(", ")
}

/// The cpu values Fargate accepts, for messages.
pub fn valid_cpus() -> String {
    join(&SIZES.iter().map(|(cpu, _)| *cpu).collect::<Vec<_>>())
}

/// Checks a cpu/memory pair; the error says what is allowed instead.
pub fn check(cpu: u32, memory: u32) -> Result<(), FargateSizeError> {
    let Some((_, range)) = SIZES.iter().find(|(valid, _)| *valid == cpu) else {
        return Err(FargateSizeError::Cpu);
    };
    if range.contains(memory) { Ok(()) } else { Err(FargateSizeError::Memory { valid: range.describe() }) }
}

/// What is wrong with a size Fargate refuses, and what to write instead: the message and hint
/// every input that takes a size shows (`ECS_SERVICE_TASK_PROCESSES`, `maestro run --size`).
pub fn explain(cpu: u32, memory: u32, error: &FargateSizeError) -> (String, String) {
    match error {
        FargateSizeError::Cpu => {
            (format!("{cpu} is not a Fargate cpu size"), format!("use one of {} (1024 units = 1 vCPU)", valid_cpus()))
        }
        FargateSizeError::Memory { valid } => (
            format!("Fargate does not run {cpu} cpu units with {memory} MiB of memory"),
            format!("with {cpu} cpu units, memory must be {valid} MiB"),
        ),
    }
}

#[derive(Debug, PartialEq, Eq)]
pub enum FargateSizeError {
    /// The cpu value is not a Fargate size at all.
    Cpu,
    /// The memory does not go with that cpu; `valid` lists what does.
    Memory { valid: String },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_every_documented_pair_boundary() {
        for (cpu, memory) in [
            (256, 512),
            (256, 2048),
            (512, 4096),
            (1024, 2048),
            (2048, 16384),
            (4096, 30720),
            (8192, 20480),
            (16384, 122880),
        ] {
            assert_eq!(check(cpu, memory), Ok(()), "{cpu}/{memory}");
        }
    }

    #[test]
    fn rejects_pairs_with_the_valid_alternatives() {
        assert_eq!(check(512, 512), Err(FargateSizeError::Memory { valid: "1024 to 4096 in steps of 1024".into() }));
        assert_eq!(check(256, 4096), Err(FargateSizeError::Memory { valid: "512, 1024, 2048".into() }));
        assert_eq!(
            check(8192, 18432),
            Err(FargateSizeError::Memory { valid: "16384 to 61440 in steps of 4096".into() })
        );
        assert_eq!(check(300, 512), Err(FargateSizeError::Cpu));
    }

    #[test]
    fn the_valid_cpus_are_listed_in_order() {
        assert_eq!(valid_cpus(), "256, 512, 1024, 2048, 4096, 8192, 16384");
    }

    /// Every stepped range starts on a multiple of its step, so a memory size is on a step
    /// exactly when it is a multiple of the step (`.cargo/mutants.toml` relies on it).
    #[test]
    fn every_range_starts_on_a_step() {
        for (cpu, range) in SIZES {
            if let MemoryRange::Step { from, step, .. } = range {
                assert!(from.is_multiple_of(*step), "{cpu}");
            }
        }
    }
}
