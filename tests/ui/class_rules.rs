use std::rc::Rc;

use opwire::op;

pub struct Db {
    n: u32,
}

// Every rule at once: each error points at its member.
#[op]
impl Db {
    #[constructor]
    async fn open() -> Db {
        Db { n: 0 }
    }

    async fn borrowed(&self) -> u32 {
        self.n
    }

    async fn held(self: Rc<Self>) -> u32 {
        self.n
    }

    fn reset(&mut self) {
        self.n = 0;
    }

    fn consume(self) {}

    fn no_self() {}

    #[getter]
    fn size(&self, extra: u32) -> u32 {
        self.n + extra
    }

    #[static_method]
    fn make(&self) {}
}

// The type still has its Class impl: this compiles.
fn main() {
    let _ = <Db as opwire::Class>::CLASS;
}
