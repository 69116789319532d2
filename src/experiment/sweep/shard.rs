//! Shards: which runs this process does (`--shard I/N` or a Slurm job array).

/// Which part of the runs this process does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: u32,
    pub count: u32,
}

impl Shard {
    pub const WHOLE: Shard = Shard { index: 0, count: 1 };

    /// Parse `I/N`.
    pub fn parse(s: &str) -> Result<Shard, String> {
        let (i, n) = s
            .split_once('/')
            .ok_or_else(|| format!("--shard {s}: write it as I/N, e.g. 0/4"))?;
        let (index, count) = (
            i.trim()
                .parse::<u32>()
                .map_err(|_| format!("--shard {s}: I must be a whole number"))?,
            n.trim()
                .parse::<u32>()
                .map_err(|_| format!("--shard {s}: N must be a whole number"))?,
        );
        if count == 0 || index >= count {
            return Err(format!("--shard {s}: need 0 ≤ I < N"));
        }
        Ok(Shard { index, count })
    }

    /// From Slurm's job-array variables, when they are set.
    pub fn from_slurm(env: impl Fn(&str) -> Option<String>) -> Result<Option<Shard>, String> {
        let Some(id) = env("SLURM_ARRAY_TASK_ID") else {
            return Ok(None);
        };
        let num = |k: &str| -> Result<Option<u32>, String> {
            env(k)
                .map(|v| {
                    v.trim().parse::<u32>().map_err(|_| {
                        format!("{k}={v} is not a whole number from 0 to {}", u32::MAX)
                    })
                })
                .transpose()
        };
        let id = id
            .trim()
            .parse::<u32>()
            .map_err(|_| format!("SLURM_ARRAY_TASK_ID={id} is not a whole number"))?;
        let min = num("SLURM_ARRAY_TASK_MIN")?.unwrap_or(0);
        let step = num("SLURM_ARRAY_TASK_STEP")?.unwrap_or(1);
        if step == 0 {
            return Err("SLURM_ARRAY_TASK_STEP=0: check the job's --array range".into());
        }
        let max = num("SLURM_ARRAY_TASK_MAX")?;
        let count = match (num("SLURM_ARRAY_TASK_COUNT")?, max) {
            (Some(c), _) => c,
            (None, Some(max)) if max < min => {
                return Err(format!(
                    "SLURM_ARRAY_TASK_MAX={max} is below SLURM_ARRAY_TASK_MIN={min}; check the \
                     job's --array range"
                ));
            }
            (None, Some(max)) => ((max - min) / step).checked_add(1).ok_or_else(|| {
                format!("SLURM_ARRAY_TASK_MIN={min}..MAX={max} is more tasks than a sweep can split into")
            })?,
            (None, None) => return Err("SLURM_ARRAY_TASK_ID is set but neither SLURM_ARRAY_TASK_COUNT nor SLURM_ARRAY_TASK_MAX".into()),
        };
        // A stepped range (--array=2-8:2) numbers its tasks MIN, MIN+STEP, …: shard k is task
        // MIN + k·STEP. A list (--array=1,5,9) has no such rule; Slurm tells it apart by a COUNT
        // that is not the range's.
        let listed = || {
            format!(
                "Slurm array ids that are listed or stepped unevenly (--array=1,5,9) cannot be \
                 told apart from the environment; submit the sweep with --array=0-{}",
                count.saturating_sub(1)
            )
        };
        if let Some(max) = max.filter(|&max| max >= min) {
            let span = (max - min) / step + 1;
            if (max - min) % step != 0 || span != count {
                return Err(listed());
            }
        }
        let offset = id
            .checked_sub(min)
            .ok_or("SLURM_ARRAY_TASK_ID is below SLURM_ARRAY_TASK_MIN")?;
        if offset % step != 0 {
            return Err(listed());
        }
        let index = offset / step;
        if count == 0 || index >= count {
            return Err(format!(
                "Slurm array task {id} is outside {min}..{min}+{count}"
            ));
        }
        Ok(Some(Shard { index, count }))
    }

    pub fn owns(&self, k: u64) -> bool {
        k % self.count as u64 == self.index as u64
    }
    pub fn stem(&self) -> String {
        format!("{}-of-{}", self.index, self.count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A stepped array (--array=2-8:2) maps its four tasks onto shards 0..4; a listed one
    /// (--array=1,5,9), which the environment cannot order, is refused with the fix.
    #[test]
    fn stepped_arrays_map_onto_every_shard_and_lists_are_refused() {
        let env = |id: u32, step: Option<u32>, count: u32, min: u32, max: u32| {
            move |k: &str| match k {
                "SLURM_ARRAY_TASK_ID" => Some(id.to_string()),
                "SLURM_ARRAY_TASK_STEP" => step.map(|s| s.to_string()),
                "SLURM_ARRAY_TASK_COUNT" => Some(count.to_string()),
                "SLURM_ARRAY_TASK_MIN" => Some(min.to_string()),
                "SLURM_ARRAY_TASK_MAX" => Some(max.to_string()),
                _ => None,
            }
        };
        let shards: Vec<u32> = [2, 4, 6, 8]
            .iter()
            .map(|&id| {
                Shard::from_slurm(env(id, Some(2), 4, 2, 8))
                    .unwrap()
                    .unwrap()
                    .index
            })
            .collect();
        assert_eq!(shards, [0, 1, 2, 3]);
        let plain = Shard::from_slurm(env(3, None, 4, 0, 3)).unwrap().unwrap();
        assert_eq!((plain.index, plain.count), (3, 4));
        let err = Shard::from_slurm(env(5, None, 3, 1, 9)).unwrap_err();
        assert!(err.contains("--array=0-2"), "{err}");
    }

    /// Bounds Slurm would never set are refused, not read as one task running everything.
    #[test]
    fn inverted_or_huge_array_bounds_are_refused() {
        let env = |min: &'static str, max: &'static str| {
            move |k: &str| match k {
                "SLURM_ARRAY_TASK_ID" => Some("5".to_string()),
                "SLURM_ARRAY_TASK_MIN" => Some(min.to_string()),
                "SLURM_ARRAY_TASK_MAX" => Some(max.to_string()),
                _ => None,
            }
        };
        let err = Shard::from_slurm(env("5", "4")).unwrap_err();
        assert!(err.contains("below SLURM_ARRAY_TASK_MIN"), "{err}");
        let err = Shard::from_slurm(env("0", "4294967295")).unwrap_err();
        assert!(err.contains("more tasks"), "{err}");
        let ok = Shard::from_slurm(env("5", "7")).unwrap().unwrap();
        assert_eq!((ok.index, ok.count), (0, 3));
    }

    #[test]
    fn shards_cover_every_run_once() {
        let shards: Vec<Shard> = (0..3).map(|i| Shard { index: i, count: 3 }).collect();
        for k in 0..100 {
            assert_eq!(shards.iter().filter(|s| s.owns(k)).count(), 1);
        }
        assert_eq!(Shard::parse("2/5"), Ok(Shard { index: 2, count: 5 }));
        assert!(Shard::parse("5/5").is_err());
    }

    #[test]
    fn slurm_variables_select_a_shard() {
        let env = |vars: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                vars.iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| v.to_string())
            }
        };
        let s = Shard::from_slurm(env(&[
            ("SLURM_ARRAY_TASK_ID", "3"),
            ("SLURM_ARRAY_TASK_COUNT", "4"),
        ]))
        .unwrap();
        assert_eq!(s, Some(Shard { index: 3, count: 4 }));
        let s = Shard::from_slurm(env(&[
            ("SLURM_ARRAY_TASK_ID", "11"),
            ("SLURM_ARRAY_TASK_MIN", "10"),
            ("SLURM_ARRAY_TASK_MAX", "13"),
        ]))
        .unwrap();
        assert_eq!(s, Some(Shard { index: 1, count: 4 }));
        assert_eq!(Shard::from_slurm(env(&[])).unwrap(), None);
    }
}
