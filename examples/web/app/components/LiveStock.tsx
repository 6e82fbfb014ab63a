'use client';
// Shows stock levels that change during a sale, by asking the API every few seconds.
import { useEffect, useState } from 'react';

export function LiveStock({ sku }: { sku: string }) {
  const [count, setCount] = useState<number | null>(null);

  useEffect(() => {
    const timer = setInterval(() => {
      fetch(`/api/stock/${sku}`)
        .then((r) => r.json())
        .then((body: { count: number }) => setCount(body.count))
        .catch(() => setCount(null));
    }, 3000);
    return () => clearInterval(timer);
  }, [sku]);

  return <span>{count ?? '…'} left</span>;
}
