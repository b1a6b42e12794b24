/** NAS-Bench-Macro's JSON, shipped beside the app (public/) and fetched by the workers that use it. */
export async function fetchNasBenchMacro(): Promise<unknown> {
  const url = new URL(`${import.meta.env.BASE_URL}data/nas-bench-macro/nas-bench-macro_cifar10.json`, self.location.origin);
  const response = await fetch(url);
  if (!response.ok) throw new Error(`NAS-Bench-Macro could not be downloaded from ${url.pathname}: ${response.status} ${response.statusText}`);
  return response.json();
}
