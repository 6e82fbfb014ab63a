'use client';
// Order dashboard: runs in the browser. It talks to OpenAI directly with a key from a NEXT_PUBLIC_ variable.
import { useEffect, useState } from 'react';
import { api } from '@/lib/api-client';

export default function Dashboard() {
  const [summary, setSummary] = useState('');

  useEffect(() => {
    async function load() {
      const orders = await api.get(`/orders?limit=${20}`);
      const customers = await api.get('/customers');
      const res = await fetch('https://api.openai.com/v1/chat/completions', {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          Authorization: `Bearer ${process.env.NEXT_PUBLIC_OPENAI_API_KEY}`,
        },
        body: JSON.stringify({
          model: 'gpt-4o-mini',
          messages: [{ role: 'user', content: `Summarise ${JSON.stringify([orders.data, customers.data])}` }],
        }),
      });
      const json = await res.json();
      setSummary(json.choices[0].message.content);
    }
    void load();
  }, []);

  return <p>{summary}</p>;
}
