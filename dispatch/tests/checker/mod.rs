//! An independent feasibility checker for Solomon VRPTW solutions, written apart from the
//! solver: its own reader of the instance file, its own distances and its own clock. It takes a
//! plan as routes of customer numbers and says what is wrong with it, if anything.

pub struct Instance {
    pub vehicles: usize,
    pub capacity: f64,
    /// (x, y, demand, ready, due, service); customer 0 is the depot.
    pub customers: Vec<[f64; 6]>,
}

impl Instance {
    pub fn read(text: &str) -> Instance {
        let mut numbers = text
            .lines()
            .map(|l| {
                l.split_whitespace()
                    .filter_map(|x| x.parse::<f64>().ok())
                    .collect::<Vec<_>>()
            })
            .filter(|v| !v.is_empty());
        let fleet = numbers.next().expect("NUMBER CAPACITY");
        let customers = numbers
            .map(|v| {
                assert_eq!(v.len(), 7, "a customer line has 7 numbers");
                [v[1], v[2], v[3], v[4], v[5], v[6]]
            })
            .collect();
        Instance {
            vehicles: fleet[0] as usize,
            capacity: fleet[1],
            customers,
        }
    }

    fn dist(&self, a: usize, b: usize) -> f64 {
        let (p, q) = (self.customers[a], self.customers[b]);
        ((p[0] - q[0]).powi(2) + (p[1] - q[1]).powi(2)).sqrt()
    }

    /// The total distance of `routes` (customer numbers, depot left out), or what breaks a rule.
    pub fn check(&self, routes: &[Vec<usize>]) -> Result<f64, String> {
        let n = self.customers.len();
        let mut seen = vec![false; n];
        if routes.iter().filter(|r| !r.is_empty()).count() > self.vehicles {
            return Err(format!("more than {} vehicles", self.vehicles));
        }
        let mut total = 0.0;
        for (i, r) in routes.iter().enumerate().filter(|(_, r)| !r.is_empty()) {
            let (mut at, mut clock, mut load) = (0usize, self.customers[0][3], 0.0);
            for &c in r {
                if c == 0 || c >= n {
                    return Err(format!("route {i}: no customer {c}"));
                }
                if std::mem::replace(&mut seen[c], true) {
                    return Err(format!("customer {c} is served twice"));
                }
                let [_, _, demand, ready, due, service] = self.customers[c];
                total += self.dist(at, c);
                clock = (clock + self.dist(at, c)).max(ready);
                if clock > due + 1e-9 {
                    return Err(format!(
                        "route {i}: customer {c} starts at {clock:.2}, after its due time {due}"
                    ));
                }
                clock += service;
                load += demand;
                at = c;
            }
            total += self.dist(at, 0);
            clock += self.dist(at, 0);
            if clock > self.customers[0][4] + 1e-9 {
                return Err(format!(
                    "route {i}: back at the depot at {clock:.2}, after it closes"
                ));
            }
            if load > self.capacity {
                return Err(format!(
                    "route {i}: carries {load}, more than {}",
                    self.capacity
                ));
            }
        }
        match (1..n).find(|&c| !seen[c]) {
            Some(c) => Err(format!("customer {c} is not served")),
            None => Ok(total),
        }
    }
}
