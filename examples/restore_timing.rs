fn main() {
    let json = std::fs::read_to_string("/tmp/snap100k.json").unwrap();
    let t = std::time::Instant::now();
    let c = service_coordinator::Coordinator::restore(service_coordinator::native_zones(), &json).unwrap();
    println!("restore {:?}", t.elapsed());
    let t = std::time::Instant::now();
    let s = c.snapshot();
    println!("snapshot {:?} {}", t.elapsed(), s.len());
}
