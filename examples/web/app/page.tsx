// Home page: a server component (no 'use client'), so its fetch runs on the server.
import { fetchJson } from '@/lib/http';

interface Product {
  id: string;
  name: string;
  price: number;
}

export default async function HomePage() {
  const products = await fetchJson<Product[]>('https://inventory.acme-shop.example/v1/products', {
    next: { revalidate: 60 },
  } as RequestInit);
  return (
    <ul>
      {products.map((p) => (
        <li key={p.id}>
          {p.name}: {p.price}
        </li>
      ))}
    </ul>
  );
}
