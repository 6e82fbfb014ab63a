'use client';
// Checkout button: the Stripe publishable key is meant to be public, and the weather badge uses plain http.
import { useState } from 'react';
import { fetchJson } from '@/lib/http';

export function Checkout({ cartId }: { cartId: string }) {
  const [error, setError] = useState<string | null>(null);

  async function pay() {
    try {
      const res = await fetch('/api/orders', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ cartId, stripeKey: process.env.NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY }),
      });
      if (!res.ok) setError(`Payment failed (${res.status})`);
    } catch (e) {
      setError(String(e));
    }
  }

  async function weather() {
    return fetchJson<{ summary: string }>('http://weather.example.org/today?city=Lisbon');
  }

  return (
    <div>
      <button onClick={() => void pay()}>Pay</button>
      <button onClick={() => void weather()}>Weather</button>
      {error && <p role="alert">{error}</p>}
    </div>
  );
}
