// async_batch with a JS async function instead of the op: the Promise.all floor.
async function bench(n) {
  const op = async () => 1;
  const round = 1000;
  let acc = 0;
  for (let done = 0; done < n; done += round) {
    const ps = new Array(round);
    for (let i = 0; i < round; i++) ps[i] = op();
    const rs = await Promise.all(ps);
    for (let i = 0; i < round; i++) acc += rs[i];
  }
  if (acc !== Math.ceil(n / 1000) * 1000) throw new Error("bad result " + acc);
}
