/** What `body` threw or rejected with; fails the test when it completes instead. */
export async function thrown(body: () => unknown): Promise<unknown> {
  try {
    await body();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}
